"""``kgan sample`` run in-process, so it is checked on every backend of the CI matrix
(tests/test_cli.py launches subprocesses and runs on the TensorFlow leg only)."""

import numpy as np
from keras import ops
from PIL import Image

import kgan.cli
import zoo
from kgan import images


def test_sample_writes_what_the_zoo_generator_makes(tmp_path):
    out = tmp_path / "sevens.png"
    assert kgan.cli.main(["sample", "mnist_cgan", "--digit", "7", "--n", "4", "--seed", "3", "--out", str(out)]) == 0
    # What the command promises: noise from numpy's default_rng(seed), the asked class for every image.
    noise = np.random.default_rng(3).standard_normal((4, 100)).astype("float32")
    generated = zoo.mnist_cgan()([noise, np.full(4, 7, "int32")], training=False)
    expected = images.make_grid(ops.convert_to_numpy(generated))[..., 0]
    written = np.asarray(Image.open(out))
    assert written.shape == expected.shape
    assert np.abs(written.astype(int) - expected.astype(int)).max() <= 1


def test_sample_refuses_an_unknown_model_with_exit_status_2(tmp_path, capsys):
    assert kgan.cli.main(["sample", "no_such_model", "--out", str(tmp_path / "x.png")]) == 2
    assert "no_such_model" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


def test_train_recipe_keeps_the_recipes_shipped_seed_unless_asked(tmp_path, monkeypatch):
    """``kgan train --recipe`` must reproduce the shipped file: without ``--seed`` the recipe's own
    default seed (mnist_infogan ships seed 4) reaches it; an explicit ``--seed`` overrides it."""
    from zoo.recipes import common, mnist_infogan

    seen = []
    monkeypatch.setattr(mnist_infogan, "main", lambda argv: seen.append(common.parse_args("x", 1, argv=argv,
                                                                                         seed=mnist_infogan.SEED)))
    for extra in ([], ["--seed", "7"]):
        assert kgan.cli.main(["train", "--recipe", "mnist_infogan", "--out", str(tmp_path / f"run{len(seen)}"), *extra]) == 0
    assert mnist_infogan.SEED != 0
    assert [args.seed for args in seen] == [mnist_infogan.SEED, 7]
