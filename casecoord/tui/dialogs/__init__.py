"""Small modal screens: error message, yes/no question."""
