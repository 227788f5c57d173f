"""GAN: the adversarial game of Goodfellow et al. 2014 with a choice of losses."""

import keras
from keras import ops

from kgan import backend, losses, penalties
from kgan.models.base import AdversarialModel

UPDATES = ("alternating", "simultaneous")


@keras.saving.register_keras_serializable(package="kgan")
class GAN(AdversarialModel):
    """A generator and a discriminator trained against each other through ``fit``.

    Args:
        generator: ``keras.Model`` mapping noise ``(batch, latent_dim)`` to images.
        discriminator: ``keras.Model`` mapping images to logits ``(batch, 1)``.
        latent_dim: noise size; defaults to the generator's input size.
        loss: one of ``"minimax"``, ``"non_saturating"``, ``"least_squares"``, ``"hinge"``
            (see ``kgan.losses``).
        d_steps: discriminator updates per generator update, each on its own batch of
            ``batch_size`` real images: a ``fit`` step consumes ``d_steps`` batches, then
            makes one generator update on ``batch_size`` fresh noise vectors. With
            ``d_steps > 1`` an epoch over ``N`` images has ``N // (batch_size * d_steps)``
            steps (see ``AdversarialModel.fit``).
        label_smoothing: one-sided smoothing of the real target (Salimans et al. 2016),
            e.g. 0.1 trains the discriminator towards 0.9 on real images.
        r1_weight: weight ``gamma`` of the R1 penalty of Mescheder et al. 2018: the
            discriminator loss gains ``gamma / 2 * mean(||grad_x D(x)||^2)`` over the real
            images, which stabilises the game without changing its optimum; 0 (the
            default) turns it off. Prefer a discriminator without BatchNormalization, as
            the penalty is meant per sample.
        update: ``"alternating"`` (default): the discriminator update, then a generator update
            on fresh noise through the updated discriminator (Goodfellow et al. 2014,
            Algorithm 1). ``"simultaneous"``: one generator pass and one discriminator pass
            serve both updates, whose gradients are both taken before either network moves
            (the TensorFlow DCGAN tutorial's loop; about a fifth fewer FLOPs a step, a
            different game: see bench/README.md for its measured effect on quality). Needs
            ``d_steps=1``.
        seed: seed of the training noise; see ``AdversarialModel``.

    Data: images in [-1, 1] (NumPy array, tf.data dataset, or ``(images, _)``).
    ``batch_size`` (or the dataset's batch) is the number of real images in each
    discriminator update; ``fit``'s steps, progress bar and callbacks count generator updates.
    Logs: ``d_loss`` (with the penalty), ``g_loss``, ``loss`` (their sum), and ``r1``
    (the unweighted penalty) when ``r1_weight > 0``; ``ada_p`` with ``augment="ada"``.
    Options every kgan model takes (``ema_decay``, ``ema_start``, ``augment``, ``mode_seeking``): see
    ``kgan.AdversarialModel``.
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        loss="non_saturating",
        d_steps=1,
        label_smoothing=0.0,
        r1_weight=0.0,
        update="alternating",
        seed=None,
        **kwargs,
    ):
        losses.validate(loss, label_smoothing)
        if int(d_steps) != d_steps or d_steps < 1:
            raise ValueError(f"d_steps must be an integer >= 1, got {d_steps!r}.")
        if update not in UPDATES:
            raise ValueError(f"update must be one of {UPDATES}, got {update!r}.")
        if update == "simultaneous" and d_steps != 1:
            raise ValueError(f"update='simultaneous' makes one discriminator update per generator update; "
                             f"got d_steps={d_steps!r} (use d_steps=1, or update='alternating').")
        if update == "simultaneous" and kwargs.get("mode_seeking"):
            raise ValueError(f"mode_seeking={kwargs['mode_seeking']!r} pairs the noise of a separate generator update; "
                             "update='simultaneous' has none (use update='alternating', or mode_seeking=0).")
        if not r1_weight >= 0:
            raise ValueError(f"r1_weight must be >= 0, got {r1_weight!r}.")
        self._r1_weight = float(r1_weight)  # read by tracker_names during __init__
        super().__init__(generator, discriminator, latent_dim=latent_dim, seed=seed, **kwargs)
        self.loss_name = loss
        self.d_steps = int(d_steps)
        self.label_smoothing = float(label_smoothing)
        self.update = update
        self.updates_simultaneously = update == "simultaneous"
        self._d_loss_fn, self._g_loss_fn = losses.get(loss)

    @property
    def r1_weight(self):
        return self._r1_weight

    def tracker_names(self):
        return super().tracker_names() + (("r1",) if self._r1_weight else ())

    @property
    def discriminator_steps(self):
        return self.d_steps

    def discriminator_update(self, real, labels):
        noise = self.sample_noise(ops.shape(real)[0])
        fake = backend.without_gradient(lambda: self.generate_images(noise, labels, training=True))

        def loss_fn():
            loss, aux, _ = self._discriminator_loss(real, fake, labels)
            return loss, aux

        d_loss, aux = backend.minimize(self.d_optimizer, self.discriminator.trainable_variables, loss_fn)
        return {"d_loss": d_loss, **aux}

    def _discriminator_loss(self, real, fake, labels, fuse=True):
        """``(loss, logged values, fake logits)`` of the discriminator on a real and a fake batch;
        ``fuse=False`` keeps the two calls apart (see ``simultaneous_update``)."""
        if not self._r1_weight:
            real_logits, fake_logits = self.discriminate_real_and_fake(real, fake, labels, fuse)
            loss = self._d_loss_fn(real_logits, fake_logits, self.label_smoothing)
            return loss, {"real_logits": real_logits}, fake_logits

        def discriminate(images):
            return self.discriminate(images, labels, training=True)

        real_logits, gradients = backend.value_and_input_gradient(discriminate, real)
        r1 = penalties.r1_penalty(gradients)
        fake_logits = discriminate(fake)
        loss = self._d_loss_fn(real_logits, fake_logits, self.label_smoothing)
        return loss + 0.5 * self._r1_weight * r1, {"r1": r1, "real_logits": real_logits}, fake_logits

    def generator_update(self, batch_size, labels):
        return self.minimize_generator_loss(batch_size, labels, self._g_loss_fn)

    def simultaneous_update(self, real, labels):
        """``update="simultaneous"``: G(z) once, D on real and fake once, both losses from them,
        both gradients before either network moves."""
        noise = self.sample_noise(ops.shape(real)[0])

        def loss_fn():
            fake = self.generate_images(noise, labels, training=True)
            # Two discriminator calls, not one on [real; fake]: the generator's gradient runs
            # back through D(fake) only, where a fused call would carry it through all 2n inputs.
            d_loss, aux, fake_logits = self._discriminator_loss(real, fake, labels, fuse=False)
            return (d_loss, self.generator_loss_of(self._g_loss_fn, fake_logits)), aux

        (d_loss, g_loss), aux = backend.minimize_each(
            [(self.d_optimizer, self.discriminator.trainable_variables),
             (self.g_optimizer, self.generator.trainable_variables)], loss_fn)
        return {"d_loss": d_loss, "g_loss": g_loss, **aux}

    def get_config(self):
        config = super().get_config()
        config.update(
            loss=self.loss_name, d_steps=self.d_steps, label_smoothing=self.label_smoothing, r1_weight=self._r1_weight,
            update=self.update,
        )
        return config
