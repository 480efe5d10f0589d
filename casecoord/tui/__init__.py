"""The Textual terminal interface: the only package that may import Textual.

Screens call services (``casecoord.services``) and never open a database session themselves.
"""
