def publish():
    print("published")
