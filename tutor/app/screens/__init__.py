"""Screens: the lesson list, a lesson, challenges, the quiz, help and small dialogs."""
