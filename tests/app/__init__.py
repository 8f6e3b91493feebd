"""The Textual app, driven in process with Pilot: keys, panels, dialogs, snapshots and
fuzzing."""
