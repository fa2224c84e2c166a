"""The Textual app. Importing this package is cheap: `app.py` pulls in only the first screen."""
