"""The request editor: a screen over one form model, built from panels that post messages.

``form.py`` holds the form as data and its one mapping onto the domain; ``panels.py`` the editing
panels; ``sections.py`` status, legal events and family; ``texts.py`` the wording of handling
codes and the addressee line; ``screen.py`` the screen that ties them together.
"""

from casecoord.tui.screens.request_editor.screen import RequestEditorScreen

__all__ = ["RequestEditorScreen"]
