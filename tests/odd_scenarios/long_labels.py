from micrograd import Value

x = Value(2.0, label="a_label_far_longer_than_any_panel_could_ever_show_" * 8)
y = Value(-3.0, label="y" * 300)
z = x * y
