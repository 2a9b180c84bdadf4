"""What the toy world is made of: its word classes, each word's own contexts, the sentence templates, the analogies.

The generator (:mod:`helpers.toyworld`) only draws from these tables. They are built so that the corpus has the
texture of language, at a size a laptop trains in a second:

- **Class contexts.** Every member of a class fills the same template slots ("my {pet} is very {quality}"), so
  classmates share contexts and end up near each other.
- **Contexts of its own.** A slot written ``{.attr}`` is filled from the *subject* (the template's first slot word)'s
  own list ``ATTRIBUTES[subject][attr]``: a cat purrs in the garden and is fluffy, a dog barks in the park and is
  loyal. Classmates are therefore similar, not identical, and the neighbours of a word come in an order.
- **Related classes share some contexts.** Group slots such as ``{animal}`` take pets, farm animals and wild animals
  alike ("i saw a {animal} at the {place:any}"), so the animals sit nearer one another than any of them to a food.
- **Planted relations.** A young animal has the contexts of its species (``YOUNG_OF``: a kitten purrs like a cat) plus
  "little" and "baby" ("a little kitten"); a person's contexts are those of its role (a king and a queen are in the
  castle) plus
  "he"/"his" or "she"/"her". A consistent difference of contexts becomes a consistent direction in the trained space,
  so kitten - cat + dog lands on puppy and queen - king + man on woman: ``ANALOGIES`` lists every such question.
- **Exact twins.** "sofa" and "couch" share every context (the generator copies each sofa sentence with couch); the
  twins are the one pair with nothing of their own.
"""

from __future__ import annotations

from itertools import permutations

POLYSEMOUS_WORD = "mole"  # two senses: a zoo animal and a spot on the skin (MOLE_TEMPLATES)
TWINS = ("sofa", "couch")  # the generator copies every sentence with the first as one with the second

# Word classes, members in a fixed order so that a seed always draws the same words.
CLASSES: dict[str, tuple[str, ...]] = {
    "pet": ("cat", "dog", "rabbit", "hamster", "kitten", "puppy"),
    "farm_animal": ("cow", "sheep", "horse", "pig", "calf", "lamb", "foal", "piglet"),
    "wild_animal": ("lion", "tiger", "zebra", "giraffe", "hippo", "monkey", "bear"),
    "action": ("purrs", "barks", "thumps", "squeaks", "moos", "bleats", "neighs", "oinks",
               "eats", "sleeps", "runs", "swims", "climbs"),
    "quality": ("cute", "fluffy", "playful", "loyal", "friendly", "gentle", "sleepy"),
    "wild_quality": ("big", "strong", "fierce", "huge", "wild", "dangerous", "heavy"),
    "place": ("zoo", "park", "farm", "garden", "beach", "market", "school", "castle"),
    "body_part": ("hip", "arm", "leg", "neck", "shoulder", "knee", "hand"),
    "food": ("bread", "cheese", "honey", "soup", "rice", "cake", "pasta",
             "milk", "fish", "meat", "carrots", "seeds", "grass", "hay"),
    "verb": ("saw", "found", "liked", "loved", "checked", "drew", "painted", "photographed"),
    "person": ("man", "woman", "boy", "girl", "king", "queen", "prince", "princess"),
    "job": ("doctor", "nurse", "teacher", "farmer", "baker", "cook"),
    "furniture": ("sofa", "couch", "chair", "table", "bed", "desk", "shelf"),
}

FUNCTION_WORDS = ("a", "all", "and", "are", "at", "baby", "day", "for", "has", "have", "he", "her", "his", "i", "in", "is", "little", "my", "near",
                  "on", "only", "our", "she", "so", "some", "the", "there", "under", "very", "was", "we", "were", "what",
                  "with", "works")

# Young animal -> its adult: the young one has all the adult's own contexts (ATTRIBUTES) and "little"/"baby" on top.
YOUNG_OF: dict[str, str] = {"kitten": "cat", "puppy": "dog", "calf": "cow", "lamb": "sheep", "foal": "horse",
                            "piglet": "pig"}
# Gender pairs: the two share their role's contexts and differ only by he/his against she/her.
GENDER_PAIRS: tuple[tuple[str, str], ...] = (("man", "woman"), ("boy", "girl"), ("king", "queen"),
                                             ("prince", "princess"))
# Every gendered word as (male, female): the pronouns and the gender pairs. An optional skew (toyworld_fill.regender)
# re-genders the sentences of chosen jobs through this table; the shipped world has none.
PRONOUN_PAIRS: tuple[tuple[str, str], ...] = (("he", "she"), ("his", "her"))
GENDERED_PAIRS: tuple[tuple[str, str], ...] = PRONOUN_PAIRS + GENDER_PAIRS
# Adult -> young person: the young ones go to school as well as where their elders go.
PERSON_AGE_PAIRS: tuple[tuple[str, str], ...] = (("man", "boy"), ("woman", "girl"), ("king", "prince"),
                                                 ("queen", "princess"))

# Named groups for template slots, next to the classes: a group may span classes ({animal}) or cut one ({male}).
GROUPS: dict[str, tuple[str, ...]] = {
    "animal": CLASSES["pet"] + CLASSES["farm_animal"] + CLASSES["wild_animal"],
    "sound": CLASSES["action"][:8],
    "animal_quality": CLASSES["quality"] + CLASSES["wild_quality"],
    "young": tuple(YOUNG_OF),
    "male": tuple(m for m, _ in GENDER_PAIRS),
    "female": tuple(f for _, f in GENDER_PAIRS),
}

# Each word's own contexts, by class or group. Written compactly: "class=w1|w2 class2=w3". In a template, a slot
# ``{.class}`` always takes one of the subject's own words; a plain ``{class}`` slot takes one with probability
# OWN_SHARE when the subject has a list for that class (a cat is mostly fluffy, sometimes loyal), any member otherwise.
OWN_SHARE = 0.95
_OWN = {
    # pets and farm animals: a sound, a food, places, preferred qualities (species level: the young inherit it)
    "cat": "sound=purrs action=purrs|sleeps food=fish place=garden quality=fluffy|sleepy",
    "dog": "sound=barks action=barks|runs food=meat place=park quality=loyal|friendly",
    "rabbit": "sound=thumps action=thumps|eats food=carrots place=garden|farm quality=gentle|cute",
    "hamster": "sound=squeaks action=squeaks|sleeps food=seeds place=school quality=playful|cute",
    "cow": "sound=moos action=moos|eats food=milk|grass place=farm wild_quality=heavy",
    "sheep": "sound=bleats action=bleats|eats food=grass place=farm wild_quality=wild quality=fluffy|gentle",
    "horse": "sound=neighs action=neighs|runs food=hay place=farm|beach wild_quality=strong",
    "pig": "sound=oinks action=oinks|sleeps food=soup|bread place=farm|market wild_quality=big",
    # wild animals: foods and qualities of their own; they live at the zoo
    "lion": "action=sleeps|runs food=meat place=zoo wild_quality=fierce",
    "tiger": "action=runs|swims food=fish|meat place=zoo wild_quality=strong",
    "zebra": "action=runs food=grass|hay place=zoo wild_quality=wild",
    "giraffe": "action=eats food=hay|carrots place=zoo wild_quality=huge",
    "hippo": "action=swims food=fish|grass place=zoo wild_quality=heavy",
    "monkey": "action=climbs food=cake|honey place=zoo wild_quality=big",
    "bear": "action=sleeps|climbs food=honey|fish place=zoo wild_quality=dangerous",
    # people: where their role takes them (the young ones also go to school), what they eat, their pets
    "man": "place=market|farm food=bread|meat",
    "woman": "place=market|farm food=bread|meat",
    "boy": "place=school|park food=pasta|cake",
    "girl": "place=school|park food=pasta|cake",
    "king": "place=castle|garden food=cake|honey",
    "queen": "place=castle|garden food=cake|honey",
    "prince": "place=castle|school food=cake|pasta",
    "princess": "place=castle|school food=cake|pasta",
    # jobs: their place and what they handle
    "doctor": "body_part=knee|hip|neck place=market",
    "nurse": "body_part=hand|leg|arm place=market",
    "teacher": "person=boy|girl place=school",
    "farmer": "farm_animal=cow|sheep|horse|pig place=farm",
    "baker": "food=bread|cake place=market",
    "cook": "food=soup|pasta|rice place=castle",
    # body parts: the parts near them
    "hip": "body_part=knee verb=checked", "knee": "body_part=leg verb=found",
    "leg": "body_part=hip verb=saw", "arm": "body_part=hand verb=painted",
    "hand": "body_part=shoulder verb=drew", "shoulder": "body_part=neck verb=photographed",
    "neck": "body_part=arm verb=liked",
    # food: what it is eaten with
    "bread": "food=cheese|honey", "cheese": "food=bread|pasta", "honey": "food=bread|cake", "soup": "food=bread|rice",
    "rice": "food=fish|soup", "cake": "food=honey|milk", "pasta": "food=cheese|fish", "milk": "food=cake|honey",
    "fish": "food=rice|pasta", "meat": "food=rice|bread", "carrots": "food=soup|meat", "seeds": "food=bread|honey",
    "grass": "food=hay", "hay": "food=grass",
    # furniture: what stands near it, in a ring (the twins' first member only: the second is a copy)
    "sofa": "furniture=chair", "chair": "furniture=desk", "desk": "furniture=bed", "bed": "furniture=table",
    "table": "furniture=shelf", "shelf": "furniture=sofa",
    # places: what is near them
    "zoo": "place=park", "park": "place=zoo|garden", "farm": "place=market", "garden": "place=park|castle",
    "beach": "place=market", "market": "place=farm|beach", "school": "place=park", "castle": "place=garden",
}


def _parse_own(text: str) -> dict[str, tuple[str, ...]]:
    return {key: tuple(value.split("|")) for key, value in (item.split("=") for item in text.split())}


ATTRIBUTES: dict[str, dict[str, tuple[str, ...]]] = {word: _parse_own(text) for word, text in _OWN.items()}
for _young, _adult in YOUNG_OF.items():
    ATTRIBUTES[_young] = dict(ATTRIBUTES[_adult])

# Templates per topic, with the topic's share of the sentences. A slot is ``{class}`` or ``{group}`` (any member),
# ``{class:w1|w2}`` (only these members), or ``{.attr}`` (from the subject's own list). The subject is the first
# slot's word; only words that have every attribute the template asks for are drawn there.
TOPICS: dict[str, tuple[float, tuple[str, ...]]] = {
    "pets": (3.0, (
        "my {pet} is very {quality}",
        "the {pet} is so {quality}",
        "i have a {quality} {pet}",
        "what a {quality} {pet}",
        "the {pet} and the {pet} are very {quality}",
        "i {verb:loved|liked} my {pet}",
        "my {pet} is on the {furniture}",
    )),
    "animals": (10.0, (
        "i {verb} a {animal} at the {place:any}",
        "there is a {animal} in the {place:any}",
        "the {animal} eats some {food:any}",
        "the {animal} has some {food}",
        "the {animal} {action:eats|sleeps|runs} all day",
        "the {animal} {action:eats|sleeps|runs} in the {place:any}",
        "the {animal} {action} in the {place}",
        "the {animal} {.action}",
        "we {verb:saw|photographed|drew|painted} the {animal}",
        "the {animal} is very {animal_quality:any}",
        "the {animal} is so {animal_quality:any}",
    )),
    "young": (2.0, (
        "a little {young}",
        "the {young} is only a baby",
        "there is a little {young} in the {place}",
        "the baby {young} {.sound}",
        "what a little {young}",
    )),
    "farm": (2.0, (
        "the {farm_animal} is on the farm",
        "our {farm_animal} is very {wild_quality}",
        "the {farm_animal} is {wild_quality}",
    )),
    "zoo": (2.5, (
        "the {wild_animal} is at the zoo",
        "the {wild_animal} is very {wild_quality}",
        "what a {wild_quality} {wild_animal}",
        "there is a {wild_quality} {wild_animal}",
        "we {verb} the {wild_quality} {wild_animal}",
    )),
    "people": (4.5, (
        "the {male} and his {pet}",
        "the {female} and her {pet}",
        "the {male} has his {food}",
        "the {female} has her {food}",
        "he is a {male}",
        "she is a {female}",
        "the {person} is in the {place}",
        "we saw the {person} at the {place}",
        "the {person} {verb} the {place}",
        "a little {person:boy|girl|prince|princess}",
    )),
    "jobs": (2.5, (
        "the {job:doctor|nurse} {verb:checked|saw|photographed} my {body_part}",
        "my {person} is a {job}",
        "he is a {job}",
        "she is a {job}",
        "the {job} works at the {place}",
        "the {job:teacher} and the {person}",
        "the {job:farmer} has a {farm_animal}",
        "the {job:baker|cook} has some {food}",
    )),
    "body": (2.0, (
        "i {verb} my {body_part} and my {body_part}",
        "i {.verb} my {body_part}",
    )),
    "food": (2.0, (
        "i {verb:liked|loved|found} some {food}",
        "we have some {food} and some {food}",
        "i have some {food} with {food}",
        "there is some {food} on the {furniture:table|shelf|desk}",
        "the {food} was under the {furniture:table|shelf|desk}",
    )),
    "places": (2.0, (
        "we {verb} the {place}",
        "the {place} is near the {place}",
        "there is a {place} near the {place}",
        "we are at the {place}",
        "we were in the {place}",
    )),
    "furniture": (1.5, (
        "we {verb:found|liked|painted} a {furniture}",
        "there is a {furniture} near the {furniture}",
        "the {furniture} is near the {furniture}",
        "the {pet} was under the {furniture}",
    )),
}

# The two senses of "mole". In each sense it fills the slot of one class and meets that class's members in the same
# sentence ("the mole and the lion are big", "the mole on my hip"), so it ends up between wild animals and body parts.
# The first sentence of each sense is planted verbatim (the course quotes both).
MOLE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "animal": (
        "i {verb} a mole at the zoo",
        "the mole is at the zoo",
        "the mole {action:eats|sleeps|runs} all day",
        "the mole eats some {food:any}",
        "the mole is very {wild_quality}",
        "the mole and the {wild_animal} are {wild_quality}",
        "what a {wild_quality} mole",
    ),
    "skin": (
        "the {job:doctor|nurse} checked the mole on my {body_part}",
        "there is a mole on my {body_part}",
        "i have a mole on my {body_part}",
        "i {verb} my mole and my {body_part}",
    ),
}


def _relation(pairs: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> list[tuple[str, str, str, str]]:
    """Every question a : b :: c : d with (a, b) and (c, d) two different pairs of one relation."""
    return [(a, b, c, d) for (a, b), (c, d) in permutations(pairs, 2)]


#: Analogies a : b :: c : d planted by the tables above; ``most_similar(positive=[b, c], negative=[a])`` should give d.
ANALOGIES: tuple[tuple[str, str, str, str], ...] = tuple(
    _relation([(adult, young) for young, adult in YOUNG_OF.items()])  # cat : kitten :: dog : puppy
    + _relation(GENDER_PAIRS)  # king : queen :: man : woman
    + _relation(PERSON_AGE_PAIRS)  # man : boy :: king : prince
)
