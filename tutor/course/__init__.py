"""Lessons as data: the schema and loader, goals checked with the core, the linter and the
progress store. Import the submodules directly (`tutor.course.loader`, `.goals`, `.lint`,
`.progress`); this package imports nothing so `ktutor progress` stays quick."""
