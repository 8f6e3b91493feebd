# nothing here but a comment
# and another
