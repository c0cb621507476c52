def read_lines(path):
    with open(path) as f:
        lines = f.readlines()
    lines = [l.strip() for l in lines]
    return lines
