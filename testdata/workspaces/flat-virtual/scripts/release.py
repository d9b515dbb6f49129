print("not a member: scripts/ is not matched by pkg-*")
