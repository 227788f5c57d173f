"""WGAN: the original Wasserstein GAN of Arjovsky et al. 2017, with weight clipping."""

import keras
from keras import ops

from kgan import backend, losses
from kgan.models.base import AdversarialModel


@keras.saving.register_keras_serializable(package="kgan")
class WGAN(AdversarialModel):
    """Wasserstein GAN with a weight-clipped critic (Arjovsky, Chintala & Bottou 2017).

    The critic minimises ``mean D(G(z)) - mean D(x)``, the generator ``-mean D(G(z))``.
    After every critic update each trainable critic weight is clipped to
    ``[-clip_value, clip_value]`` (whatever constraints the layers have of their own), which
    keeps the critic (roughly) Lipschitz. The paper trains with
    ``keras.optimizers.RMSprop(5e-5)`` for both networks, ``n_critic=5``, ``clip_value=0.01``
    and batches of 64: clipping makes momentum-based optimizers such as Adam unstable.
    ``kgan.WGANGP`` (gradient penalty) usually trains faster and better.

    Args:
        generator: ``keras.Model`` mapping noise ``(batch, latent_dim)`` to images.
        discriminator: the critic, a ``keras.Model`` mapping images to scores ``(batch, 1)``
            (no sigmoid).
        n_critic: critic updates per generator update, each on its own batch of
            ``batch_size`` real images (Algorithm 1 of the paper): a ``fit`` step consumes
            ``n_critic`` batches, and an epoch over ``N`` images has ``N // (batch_size *
            n_critic)`` steps, each one generator update on a batch of ``batch_size`` noise
            vectors. ``fit``'s progress bar, ``steps_per_epoch``, logs and callbacks count
            generator updates.
        clip_value: ``c`` of the clipping interval ``[-c, c]``; > 0 (0.01 in the paper).
        latent_dim: noise size; defaults to the generator's input size.
        **kwargs: options every kgan model takes (``seed``, ``ema_decay``, ``ema_start``,
            ``augment``): see ``kgan.AdversarialModel``.

    Logs: ``d_loss`` (the critic loss), ``g_loss``, ``loss`` (their sum) and ``wasserstein``
    (the critic's estimate ``mean D(x) - mean D(G(z))``); ``ada_p`` with ``augment="ada"``.
    """

    def __init__(self, generator, discriminator, n_critic=5, clip_value=0.01, latent_dim=None, **kwargs):
        if isinstance(n_critic, bool) or not isinstance(n_critic, (int, float)) or int(n_critic) != n_critic \
                or n_critic < 1:
            raise ValueError(f"n_critic must be an integer >= 1, got {n_critic!r}.")
        if isinstance(clip_value, bool) or not isinstance(clip_value, (int, float)) or not clip_value > 0:
            raise ValueError(f"clip_value must be a number > 0 (0.01 in the paper), got {clip_value!r}.")
        super().__init__(generator, discriminator, latent_dim=latent_dim, **kwargs)
        self.n_critic = int(n_critic)
        self.clip_value = float(clip_value)

    def tracker_names(self):
        return ("d_loss", "g_loss", "loss", "wasserstein")

    @property
    def discriminator_steps(self):
        return self.n_critic

    def discriminator_update(self, real, labels):
        noise = self.sample_noise(ops.shape(real)[0])
        fake = backend.without_gradient(lambda: self.generate_images(noise, labels, training=True))

        def loss_fn():
            real_logits, fake_logits = self.discriminate_real_and_fake(real, fake, labels)
            loss = losses.wasserstein_discriminator_loss(real_logits, fake_logits)
            return loss, {"wasserstein": -loss, "real_logits": real_logits}

        d_loss, aux = backend.minimize(self.d_optimizer, self.discriminator.trainable_variables, loss_fn)
        self.clip_critic_weights()
        return {"d_loss": d_loss, **aux}

    def clip_critic_weights(self):
        """Clip every trainable critic weight to ``[-clip_value, clip_value]``."""
        for weight in self.discriminator.trainable_variables:
            bound = ops.cast(self.clip_value, weight.dtype)
            weight.assign(ops.clip(ops.stop_gradient(ops.convert_to_tensor(weight)), -bound, bound))

    def generator_update(self, batch_size, labels):
        return self.minimize_generator_loss(batch_size, labels, losses.wasserstein_generator_loss)

    def get_config(self):
        config = super().get_config()
        config.update(n_critic=self.n_critic, clip_value=self.clip_value)
        return config
