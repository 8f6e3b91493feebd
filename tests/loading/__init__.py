"""Loading scenario files: the sandbox, bad and odd files, training scenarios, a learner's
own Value class, packaging."""
