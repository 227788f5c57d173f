"""GAN: the adversarial game of Goodfellow et al. 2014 with a choice of losses."""

import keras
from keras import ops

from kgan import backend, losses
from kgan.models.base import AdversarialModel


@keras.saving.register_keras_serializable(package="kgan")
class GAN(AdversarialModel):
    """A generator and a discriminator trained against each other through ``fit``.

    Args:
        generator: ``keras.Model`` mapping noise ``(batch, latent_dim)`` to images.
        discriminator: ``keras.Model`` mapping images to logits ``(batch, 1)``.
        latent_dim: noise size; defaults to the generator's input size.
        loss: one of ``"minimax"``, ``"non_saturating"``, ``"least_squares"``, ``"hinge"``
            (see ``kgan.losses``).
        d_steps: discriminator updates per generator update. Each ``fit`` batch is split
            into ``d_steps`` equal slices, one per update, so every real image is used once
            per epoch; the generator update uses a slice-sized batch of fresh noise.
        label_smoothing: one-sided smoothing of the real target (Salimans et al. 2016),
            e.g. 0.1 trains the discriminator towards 0.9 on real images.
        seed: seed of the training noise; see ``AdversarialModel``.

    Data: a batch of images in [-1, 1] (NumPy array, tf.data dataset, or ``(images, _)``).
    Logs: ``d_loss``, ``g_loss`` and ``loss`` (their sum).
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        loss="non_saturating",
        d_steps=1,
        label_smoothing=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(generator, discriminator, latent_dim=latent_dim, seed=seed, **kwargs)
        losses.validate(loss, label_smoothing)
        if int(d_steps) != d_steps or d_steps < 1:
            raise ValueError(f"d_steps must be an integer >= 1, got {d_steps!r}.")
        self.loss_name = loss
        self.d_steps = int(d_steps)
        self.label_smoothing = float(label_smoothing)
        self._d_loss_fn, self._g_loss_fn = losses.get(loss)

    @property
    def discriminator_steps(self):
        return self.d_steps

    def discriminator_update(self, real, labels):
        noise = self.sample_noise(ops.shape(real)[0])
        fake = ops.stop_gradient(self.generate_images(noise, labels, training=True))

        def loss_fn():
            real_logits = self.discriminate(real, labels, training=True)
            fake_logits = self.discriminate(fake, labels, training=True)
            return self._d_loss_fn(real_logits, fake_logits, self.label_smoothing), {}

        d_loss, _ = backend.minimize(self.d_optimizer, self.discriminator.trainable_variables, loss_fn)
        return {"d_loss": d_loss}

    def generator_update(self, batch_size, labels):
        noise = self.sample_noise(batch_size)

        def loss_fn():
            fake = self.generate_images(noise, labels, training=True)
            return self._g_loss_fn(self.discriminate(fake, labels, training=True)), {}

        g_loss, _ = backend.minimize(self.g_optimizer, self.generator.trainable_variables, loss_fn)
        return g_loss

    def get_config(self):
        config = super().get_config()
        config.update(loss=self.loss_name, d_steps=self.d_steps, label_smoothing=self.label_smoothing)
        return config
