"""Conditional GAN (Mirza & Osindero 2014): both networks see the class label."""

import keras

from kgan.models.gan import GAN


@keras.saving.register_keras_serializable(package="kgan")
class ConditionalGAN(GAN):
    """A GAN whose generator draws the class it is asked for.

    The generator is called as ``generator([noise, labels])`` and the discriminator as
    ``discriminator([images, labels])``, with integer labels of shape ``(batch,)`` in
    ``[0, num_classes)``. Fake samples in each step use the real batch's labels, so classes
    are trained in the data's proportions.

    Args:
        num_classes: number of classes.
        Other arguments as ``kgan.GAN``.

    Data: ``(images, labels)``: ``fit(x=images, y=labels)`` or a dataset of pairs.
    """

    conditional = True

    def __init__(self, generator, discriminator, num_classes, latent_dim=None, **kwargs):
        if int(num_classes) != num_classes or num_classes < 2:
            raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}.")
        _require_two_inputs("generator", generator, "[noise, labels]")
        _require_two_inputs("discriminator", discriminator, "[images, labels]")
        self.num_classes = int(num_classes)
        super().__init__(generator, discriminator, latent_dim=latent_dim, **kwargs)

    def call_generator(self, network, noise, labels, training):
        return network([noise, labels], training=training)

    def call_discriminator(self, images, labels, training):
        return self.discriminator([images, labels], training=training)

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config


def _require_two_inputs(role, model, expected):
    inputs = getattr(model, "inputs", None)
    if not isinstance(model, keras.Model) or inputs is None or len(inputs) != 2:
        count = None if inputs is None else len(inputs)
        raise ValueError(
            f"A conditional {role} must take two inputs {expected}; "
            f"{getattr(model, 'name', model)!r} takes {count}."
        )
