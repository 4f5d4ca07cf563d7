"""The same formats as zh_Hans: one date format whatever the language."""

from youthleague.formats.zh_Hans.formats import *  # noqa: F403
