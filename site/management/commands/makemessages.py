from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's, without msgmerge's guesses: a new string gets no translation borrowed from
    a similar old one (a "fuzzy" entry, never shown, but easily taken for a finished one)."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
