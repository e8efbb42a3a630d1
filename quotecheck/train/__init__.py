"""Training the attribution tagger on brat-annotated folders (``quotecheck train``).

Needs ``python-crfsuite`` (a core dependency, since tagging needs it too); nothing here is
imported on the extraction path.
"""
