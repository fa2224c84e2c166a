"""The lab: the pure state of one workbench (a lesson step or a challenge), between the course
and the app. No Textual here: the app renders a `Snapshot` and sends edits, cluster actions and
requests to a `LabSession` (session.py); the cluster actions and their keys are one table
(actions.py), from which the app builds its bindings, help and palette."""
