"""Classroom and beyond: serving the tutor to browsers, printed handouts, manifests for a real
cluster, and checking the model against a real cluster's EndpointSlices.

The logic lives here, free of argparse and Textual, so the commands stay thin and the tests can
call it directly.
"""
