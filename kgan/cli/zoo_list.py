"""``kgan zoo list``: the zoo's registry as a table."""


def add_parser(commands):
    zoo_parser = commands.add_parser("zoo", help="the pretrained model zoo")
    zoo_commands = zoo_parser.add_subparsers(title="zoo commands")
    zoo_commands.add_parser("list", help="list the zoo's models and their measured quality").set_defaults(run=run, needs_backend=False)


def run(args):
    import zoo

    header = ("name", "kind", "algorithm", "data", "size", "quality", "licence")
    table = [header]
    for r in zoo.list_models():
        size = f"{r['file_size'] / 1e6:.1f} MB" if r["file_size"] else "not trained"
        table.append((r["name"], r["kind"], r["algorithm"], r["dataset"], size, _quality(r["quality"]), r["licence"]))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


def _quality(quality):
    if not quality:
        return "-"
    keys = ("fd", "conditional_accuracy", "mean_confidence", "test_accuracy", "held_out_rotation_accuracy")
    return ", ".join(f"{k}={quality[k]:.4g}" for k in keys if isinstance(quality.get(k), (int, float)))
