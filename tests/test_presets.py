"""`kgan train --algorithm X` builds what the zoo's recipe for X builds: one source of settings."""

import importlib

import keras
import numpy as np
import pytest

from kgan.cli import build

MNIST_RECIPES = {"gan": "mnist_gan", "dcgan": "mnist_dcgan", "cgan": "mnist_cgan", "wgangp": "mnist_wgangp"}
IGNORED = {"name", "seed"}


def architecture(network):
    """Every layer's class and configuration, names aside."""
    return [(type(layer).__name__, {k: v for k, v in layer.get_config().items() if k not in IGNORED})
            for layer in network._flatten_layers(include_self=False, recursive=True)]


def settings(model):
    config = {k: v for k, v in model.get_config().items() if k not in ("generator", "discriminator", "name", "seed")}
    optimizers = [{k: v for k, v in o.get_config().items() if k != "name"} for o in (model.g_optimizer, model.d_optimizer)]
    return type(model).__name__, config, optimizers


def assert_same_model(preset, recipe):
    assert settings(preset) == settings(recipe)
    assert architecture(preset.generator) == architecture(recipe.generator)
    assert architecture(preset.discriminator) == architecture(recipe.discriminator)


@pytest.mark.parametrize("algorithm", sorted(MNIST_RECIPES))
def test_mnist_presets_are_the_zoo_recipes(algorithm):
    labels = np.arange(10) if algorithm == "cgan" else None
    preset = build.model(algorithm, (28, 28, 1), labels, 100, seed=0)
    recipe = importlib.import_module(f"zoo.recipes.{MNIST_RECIPES[algorithm]}").build(0)
    assert_same_model(preset, recipe)


def test_the_64x64_dcgan_preset_is_the_face_recipe():
    from zoo.recipes import celeba_dcgan

    assert_same_model(build.model("dcgan", (64, 64, 3), None, 100, seed=0), celeba_dcgan.build(0))


def test_a_preset_differs_from_another_recipe():
    """The comparison can fail: the WGAN-GP preset is not the DCGAN recipe."""
    from zoo.recipes import mnist_dcgan

    with pytest.raises(AssertionError):
        assert_same_model(build.model("wgangp", (28, 28, 1), None, 100, seed=0), mnist_dcgan.build(0))
    keras.backend.clear_session()


@pytest.mark.parametrize("algorithm", ["gan", "dcgan", "wgangp"])
def test_presets_with_pieces_refuse_noise_too_narrow_for_them(algorithm):
    from kgan.cli.sources import CommandError

    with pytest.raises(CommandError, match=f"--algorithm {algorithm} reads 10 mixture pieces.*"
                                           "--latent-dim must be above 10; got 10"):
        build.model(algorithm, (28, 28, 1), None, 10, seed=0)
