"""WGAN-GP: Wasserstein critic with the gradient penalty of Gulrajani et al. 2017."""

import keras
from keras import ops

from kgan import backend, losses, penalties
from kgan.models.base import AdversarialModel


@keras.saving.register_keras_serializable(package="kgan")
class WGANGP(AdversarialModel):
    """Wasserstein GAN with gradient penalty.

    The critic minimises ``D(G(z)) - D(x) + gp_weight * (||grad_x D(x_hat)||_2 - 1)^2
    + drift_weight * D(x)^2`` where ``x_hat = a*x + (1-a)*G(z)``, ``a ~ U(0, 1)`` per sample
    and the norm runs over all non-batch axes; the generator minimises ``-D(G(z))``.

    Args:
        n_critic: critic updates per generator update, each on its own batch of
            ``batch_size`` real images and fresh noise (Algorithm 1 of the paper): a ``fit``
            step consumes ``n_critic`` batches, then makes one generator update on
            ``batch_size`` noise vectors. An epoch over ``N`` images has ``N // (batch_size
            * n_critic)`` steps; ``fit``'s progress bar, ``steps_per_epoch``, logs and
            callbacks count generator updates (see ``AdversarialModel.fit``).
        gp_weight: weight of the gradient penalty (lambda, 10 in the paper).
        drift_weight: weight of the drift term of Karras et al. 2018 (0.001 there).
        The critic must not use BatchNormalization (the penalty is per sample).

    Logs: ``d_loss`` (critic loss with penalties), ``g_loss``, ``loss`` (their sum),
    ``wasserstein`` (the critic's estimate ``mean D(x) - mean D(G(z))``) and ``gp``.
    """

    def __init__(
        self, generator, discriminator, n_critic=5, gp_weight=10.0, drift_weight=0.0, latent_dim=None, **kwargs
    ):
        super().__init__(generator, discriminator, latent_dim=latent_dim, **kwargs)
        if int(n_critic) != n_critic or n_critic < 1:
            raise ValueError(f"n_critic must be an integer >= 1, got {n_critic!r}.")
        if gp_weight < 0 or drift_weight < 0:
            raise ValueError(f"gp_weight and drift_weight must be >= 0, got {gp_weight!r} and {drift_weight!r}.")
        self.n_critic = int(n_critic)
        self.gp_weight = float(gp_weight)
        self.drift_weight = float(drift_weight)

    def tracker_names(self):
        return ("d_loss", "g_loss", "loss", "wasserstein", "gp")

    @property
    def discriminator_steps(self):
        return self.n_critic

    def discriminator_update(self, real, labels):
        batch = ops.shape(real)[0]
        fake = backend.without_gradient(lambda: self.generate_images(self.sample_noise(batch), labels, training=True))
        alpha = self.sample_uniform(batch)
        mixed = penalties.interpolate(real, fake, alpha)

        def critic(images):
            return self.discriminate(images, labels, training=True)

        def loss_fn():
            real_logits, fake_logits = self.discriminate_real_and_fake(real, fake, labels)
            gp = penalties.gradient_penalty(backend.input_gradient(critic, mixed))
            loss = losses.wasserstein_discriminator_loss(real_logits, fake_logits) + self.gp_weight * gp
            if self.drift_weight:
                loss = loss + self.drift_weight * penalties.drift_penalty(real_logits)
            estimate = ops.mean(ops.cast(real_logits, "float32")) - ops.mean(ops.cast(fake_logits, "float32"))
            return loss, {"wasserstein": estimate, "gp": gp, "real_logits": real_logits}

        d_loss, aux = backend.minimize(self.d_optimizer, self.discriminator.trainable_variables, loss_fn)
        return {"d_loss": d_loss, **aux}

    def generator_update(self, batch_size, labels):
        return self.minimize_generator_loss(batch_size, labels, losses.wasserstein_generator_loss)

    def get_config(self):
        config = super().get_config()
        config.update(n_critic=self.n_critic, gp_weight=self.gp_weight, drift_weight=self.drift_weight)
        return config
