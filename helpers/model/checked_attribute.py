"""A hyperparameter attribute of the step trainer that is checked every time it is set.

One declaration per hyperparameter lives in :mod:`helpers.params`; this descriptor applies it after the
constructor too, so ``trainer.window = 0`` fails at once with the declaration's message.
"""

from __future__ import annotations

from ..params import check


class CheckedAttribute:
    """A hyperparameter attribute of :class:`StepTrainer`, checked by its declaration (:mod:`helpers.params`)
    whenever it is set, so no value gets past its check after the constructor (``trainer.window = 0``).

    ``fixed``: it shapes what the constructor built (the vectors, the vocabulary, the noise table, the seed's
    draws), so it cannot change afterwards; the message says to make a new trainer instead.
    """

    def __init__(self, doc: str, fixed: bool = False) -> None:
        self.fixed, self.__doc__ = fixed, doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.name, self.slot = name, f"_{name}"

    def __get__(self, obj: object, owner: type | None = None) -> object:
        return self if obj is None else obj.__dict__[self.slot]

    def __set__(self, obj: object, value: object) -> None:
        if self.fixed and self.slot in obj.__dict__:
            raise AttributeError(f"{self.name} is fixed once the trainer is made (it shaped its vectors, vocabulary "
                                 f"and random draws): make a new one, StepTrainer(sentences, {self.name}={value!r})")
        obj.__dict__[self.slot] = check(self.name, value)
