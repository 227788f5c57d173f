"""VAE (Kingma & Welling 2014): an encoder and a decoder trained together by maximising the ELBO.

The model is a plain ``keras.Model`` with one optimizer, so Keras's own train and test steps
run it on every backend: ``call`` encodes and samples ``z`` with the reparameterisation trick,
``compute_loss`` returns the negative ELBO. ``fit``, ``evaluate``, ``validation_data``,
callbacks and ``.keras`` files behave as for any Keras model; the decoder is the sampling
generator that ``kgan.export_generator``, ``kgan sample`` and ``kgan evaluate`` use.
"""

import math

import keras
import numpy as np
from keras import ops

from kgan import backend, latent
from kgan.models import jit_choice
from kgan.models.seed_state import SavesSeedState
from kgan.models.trackers import LossTrackers

RECONSTRUCTIONS = ("bernoulli", "gaussian", "l1")
_EPSILON = 1e-7  # keeps the Bernoulli's log away from log(0)


def reconstruction_nll(images, decoded, kind):
    """``-log p(x | z)`` per sample, in nats, summed over every value of a sample.

    Images and decoder outputs are in [-1, 1]. ``"bernoulli"``: each value rescaled to [0, 1]
    is the target of a Bernoulli of mean ``(decoded + 1) / 2`` (binary cross-entropy);
    ``"gaussian"``: unit-variance Gaussian around ``decoded`` (half the squared error, plus
    ``log(2 pi) / 2`` a value); ``"l1"``: unit-scale Laplace (absolute error, plus ``log 2``).
    """
    images, decoded = ops.cast(images, "float32"), ops.cast(decoded, "float32")
    if kind == "bernoulli":
        target, p = (images + 1.0) / 2.0, ops.clip((decoded + 1.0) / 2.0, _EPSILON, 1.0 - _EPSILON)
        values = -(target * ops.log(p) + (1.0 - target) * ops.log(1.0 - p))
    elif kind == "gaussian":
        values = 0.5 * ops.square(images - decoded) + 0.5 * math.log(2.0 * math.pi)
    elif kind == "l1":
        values = ops.abs(images - decoded) + math.log(2.0)
    else:
        raise ValueError(f"reconstruction must be one of {RECONSTRUCTIONS}, got {kind!r}.")
    return ops.sum(ops.reshape(values, (ops.shape(values)[0], -1)), axis=-1)


def kl_divergence(z_mean, z_log_var):
    """``KL(N(z_mean, exp(z_log_var)) || N(0, I))`` per sample, in nats."""
    z_mean, z_log_var = ops.cast(z_mean, "float32"), ops.cast(z_log_var, "float32")
    return 0.5 * ops.sum(ops.square(z_mean) + ops.exp(z_log_var) - 1.0 - z_log_var, axis=-1)


@keras.saving.register_keras_serializable(package="kgan")
class VAE(jit_choice.MeasuresJitCompile, SavesSeedState, keras.Model):
    """Variational autoencoder: ``fit`` maximises ``E_q[log p(x|z)] - beta * KL(q(z|x) || p(z))``.

    Args:
        encoder: ``keras.Model`` from images to ``[z_mean, z_log_var]``, each
            ``(batch, latent_dim)`` (``kgan.networks.vae_encoder``).
        decoder: ``keras.Model`` from ``z`` ``(batch, latent_dim)`` to images in [-1, 1] of the
            encoder's input shape (``kgan.networks.vae_decoder``).
        beta: weight of the KL term (1 is the ELBO; > 1 is the beta-VAE of Higgins et al.
            2017, < 1 trades a less regular latent space for sharper reconstructions).
        reconstruction: the likelihood ``p(x | z)``: ``"bernoulli"`` (the paper's, for
            MNIST-like images), ``"gaussian"`` (unit variance) or ``"l1"`` (Laplace); see
            ``reconstruction_nll``.
        seed: seed of the ``keras.random.SeedGenerator`` that draws the reparameterisation
            noise; ``None`` draws one at random (``keras.utils.set_random_seed`` fixes it).

    ``compile(optimizer=...)`` takes an optimizer and Keras's other compile arguments, not a
    loss. Data: images in [-1, 1] (a NumPy array, a tf.data dataset; labels, if any, are
    ignored). Logs: ``loss`` (``reconstruction + beta * kl``, the negative ELBO when beta
    is 1), ``reconstruction`` and ``kl``, each the mean over the batch in nats per image;
    ``evaluate`` reports the same on held-out data. ``model(images)`` returns a dict of
    ``reconstruction`` (decoded from a sampled ``z``), ``z_mean`` and ``z_log_var``.
    """

    conditional = False

    def __init__(self, encoder, decoder, beta=1.0, reconstruction="bernoulli", seed=None, **kwargs):
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not 0 <= beta < math.inf:
            raise ValueError(f"beta must be a finite number >= 0 (1 for the ELBO), got {beta!r}.")
        if reconstruction not in RECONSTRUCTIONS:
            raise ValueError(f"reconstruction must be one of {RECONSTRUCTIONS}, got {reconstruction!r}.")
        latent_dim = _check_pair(encoder, decoder)
        super().__init__(**kwargs)
        self.encoder, self.decoder = encoder, decoder
        self.latent_dim = latent_dim
        self.beta = float(beta)
        self.reconstruction = reconstruction
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="noise_seed")
        self.trackers = LossTrackers(("reconstruction", "kl"))
        # Built from the sub-models: fit must not build it by calling it on a data batch.
        self.built = True

    @property
    def sampling_generator(self):
        """The decoder: ``z ~ N(0, I)`` -> images, what samplers, metrics and export use."""
        return self.decoder

    generator = sampling_generator

    # ----------------------------------------------------------------- training
    def compile(self, optimizer="adam", **kwargs):
        """``keras.Model.compile`` without ``loss``/``metrics``: the loss is the negative ELBO.
        ``jit_compile="measure"`` times the first steps with XLA and without and keeps the
        faster (``kgan.models.jit_choice``)."""
        for name in ("loss", "loss_weights", "metrics", "weighted_metrics"):
            if kwargs.pop(name, None) is not None:
                raise ValueError(f"VAE.compile() got {name}=: the VAE's loss is the negative ELBO; choose beta= "
                                 "and reconstruction= in its constructor.")
        super().compile(optimizer=optimizer, **jit_choice.resolve(self, kwargs))
        if kwargs.get("jit_compile") == jit_choice.MEASURE:
            self._compile_config.config["jit_compile"] = jit_choice.MEASURE  # a reloaded model measures too
        self.keep_recorded_jit_compile()
        # Built now, so a model saved before fit stores the optimizer's state and loads cleanly.
        self.optimizer.build(self.trainable_variables)

    def compile_from_config(self, config):
        self.compile(**keras.saving.deserialize_keras_object(config))

    def fit(self, x=None, y=None, *args, **kwargs):
        """``keras.Model.fit``, after checking that the data fits the decoder."""
        self._check_images(x.element_spec if hasattr(x, "element_spec") else x)
        return super().fit(x, y, *args, **kwargs)

    def call(self, images, training=False):
        z_mean, z_log_var = self.encoder(images, training=training)
        noise = backend.replica_rows(
            lambda m: keras.random.normal((m, self.latent_dim), seed=self.seed_generator), ops.shape(z_mean)[0]
        )
        z = z_mean + ops.exp(0.5 * z_log_var) * ops.cast(noise, z_mean.dtype)
        return {"reconstruction": self.decoder(z, training=training), "z_mean": z_mean, "z_log_var": z_log_var}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The negative ELBO of the batch ``x`` (Keras's train and test steps call this)."""
        if sample_weight is not None:
            raise ValueError("VAE does not take sample weights: the ELBO is averaged over the batch.")
        self._check_images(x)
        reconstruction = ops.mean(reconstruction_nll(x, y_pred["reconstruction"], self.reconstruction))
        kl = ops.mean(kl_divergence(y_pred["z_mean"], y_pred["z_log_var"]))
        self.trackers.update({"reconstruction": reconstruction, "kl": kl})
        total = reconstruction + self.beta * kl
        for extra in self.losses:  # regularizers and add_loss of the encoder and decoder
            total = total + ops.sum(ops.cast(extra, "float32"))
        return total

    def _check_images(self, images):
        if isinstance(images, (tuple, list)):
            images = images[0]  # (images, labels): the labels are not used
        shape, dtype = getattr(images, "shape", None), str(getattr(images, "dtype", ""))
        if shape is None:
            return
        expected = tuple(self.decoder.outputs[0].shape[1:])
        if tuple(shape[1:]) != expected:
            raise ValueError(f"Data images have shape {tuple(shape[1:])} per sample but the decoder produces "
                             f"{expected}; resize the data or build the networks for this shape.")
        if "int" in dtype:
            raise ValueError(f"Images must be floats in [-1, 1], got dtype {dtype}; convert uint8 images with "
                             "kgan.images.from_uint8.")

    # ----------------------------------------------------------------- use
    def encode(self, images, batch_size=256):
        """``(z_mean, z_log_var)`` of ``images`` as float32 NumPy arrays."""
        parts = [self.encoder(images[i : i + batch_size], training=False) for i in range(0, len(images), batch_size)]
        return tuple(np.concatenate([ops.convert_to_numpy(p[j]) for p in parts]).astype("float32") for j in (0, 1))

    def decode(self, z, batch_size=256):
        """Images decoded from latent vectors ``z`` ``(n, latent_dim)``, as float32 NumPy."""
        z = np.asarray(z, "float32")
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"decode() takes latent vectors of shape (n, {self.latent_dim}), got {z.shape}.")
        parts = [self.decoder(z[i : i + batch_size], training=False) for i in range(0, len(z), batch_size)]
        return np.concatenate([ops.convert_to_numpy(p) for p in parts]).astype("float32")

    def generate(self, n, seed=None, batch_size=256, truncation=None):
        """``n`` images decoded from the prior: ``z`` drawn with ``kgan.latent.sample(n, latent_dim,
        seed)`` (the same on every backend), scaled by ``truncation`` (``kgan.latent.truncate``)."""
        return self.decode(latent.truncate(latent.sample(n, self.latent_dim, seed), truncation), batch_size)

    # ----------------------------------------------------------------- saving
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "beta": self.beta,
            "reconstruction": self.reconstruction,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("encoder", "decoder"):
            config[key] = keras.saving.deserialize_keras_object(config[key], custom_objects=custom_objects)
        return cls(**config)


def _check_pair(encoder, decoder):
    """The latent size, after checking that the encoder and decoder fit each other."""
    for role, model in (("encoder", encoder), ("decoder", decoder)):
        if not isinstance(model, keras.Model) or not model.built or not getattr(model, "inputs", None):
            raise ValueError(f"The {role} must be a built functional keras.Model, got {type(model).__name__}.")
    outputs = encoder.outputs
    shapes = [tuple(o.shape) for o in outputs]
    if len(outputs) != 2 or shapes[0] != shapes[1] or len(shapes[0]) != 2:
        raise ValueError(f"The encoder must return [z_mean, z_log_var], two (batch, latent_dim) tensors; "
                         f"{encoder.name!r} returns shapes {shapes}.")
    latent_dim = shapes[0][-1]
    decoder_in = tuple(decoder.inputs[0].shape)
    if len(decoder.inputs) != 1 or decoder_in != (None, latent_dim):
        raise ValueError(f"The decoder must take z of shape (batch, {latent_dim}), the encoder's latent size; "
                         f"{decoder.name!r} takes {[tuple(i.shape) for i in decoder.inputs]}.")
    image_in, image_out = tuple(encoder.inputs[0].shape[1:]), tuple(decoder.outputs[0].shape[1:])
    if image_in != image_out:
        raise ValueError(f"The decoder produces images of shape {image_out} but the encoder reads {image_in}.")
    return int(latent_dim)
