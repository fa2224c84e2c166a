"""Widgets of the lesson workbench: editor, routing view, traffic, behind the scenes."""
