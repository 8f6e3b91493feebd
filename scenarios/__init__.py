"""The bundled curriculum: scenario files that ship with micrograd-tui.

Installed as the package ``tui.scenarios`` so that ``micrograd-tui NAME``
finds them from any folder; each file is also an ordinary script.
"""
