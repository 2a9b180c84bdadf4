"""``python -m helpers.toyworld``: regenerate the shipped toy world (data/toyworld) byte for byte."""

from .world import main

main()
