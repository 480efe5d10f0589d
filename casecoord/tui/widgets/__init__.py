"""Reusable widgets: the validated field and the virtual case list."""
