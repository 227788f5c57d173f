"""InfoGAN (Chen et al. 2016): a GAN whose generator also reads latent codes, made recoverable
from its samples by maximising a lower bound on their mutual information."""

import math

import keras
import numpy as np
from keras import ops

from kgan import augment as augmentations
from kgan import backend, latent, penalties
from kgan import mode_seeking as mode_seeking_training
from kgan.models.gan import GAN
from kgan.networks.infogan import CodePrior, check_codes, code_size, q_size

_LOG_2PI = math.log(2.0 * math.pi)


def categorical_code_loss(one_hot, logits):
    """Cross-entropy of Q's ``logits`` against the one-hot codes, averaged over the batch."""
    return ops.mean(ops.categorical_crossentropy(one_hot, logits, from_logits=True))


def gaussian_code_nll(codes, means, log_variances=None):
    """Negative log-likelihood of ``codes`` under independent Gaussians (unit variance when
    ``log_variances`` is None), in nats, summed over the codes and averaged over the batch."""
    codes, means = ops.cast(codes, "float32"), ops.cast(means, "float32")
    squared = ops.square(codes - means)
    if log_variances is None:
        nll = 0.5 * (_LOG_2PI + squared)
    else:
        log_variances = ops.cast(log_variances, "float32")
        nll = 0.5 * (_LOG_2PI + log_variances + squared * ops.exp(-log_variances))
    return ops.mean(ops.sum(nll, axis=-1))


class _Unsaved:
    """A holder Keras does not track: the sampling networks share the generators' layers, so
    they are rebuilt when needed, never saved."""

    def __init__(self):
        self.networks = {}


@keras.saving.register_keras_serializable(package="kgan")
class InfoGAN(GAN):
    """A GAN with interpretable latent codes (Chen, Duan, Houthooft, Schulman, Sutskever & Abbeel 2016).

    The generator reads one vector ``[noise, codes]``: the one-hot of each categorical code
    (uniform over its values) and the continuous codes (uniform on (-1, 1)), in that order
    (``kgan.networks.infogan_generator``). The discriminator returns ``[logits, q]``: its
    adversarial logits and, from the same body, Q's estimate of the codes of a sample
    (``kgan.networks.infogan_discriminator``): logits of each categorical code, then the
    means of the continuous codes, then (optionally) their log-variances. The information
    loss ``L_I`` (Q's cross-entropy on the categorical codes plus the Gaussian negative
    log-likelihood of the continuous ones, on fakes) is minimised by both players with weight
    ``info_weight``: the discriminator update trains Q, the generator update makes its codes
    easier to read. ``H(c) - L_I`` is a lower bound on ``I(c; G(z, c))``, so lowering ``L_I``
    raises the bound.

    Args:
        generator: ``keras.Model`` of one input, ``noise_dim + sum(categorical) + continuous``
            values, to samples.
        discriminator: ``keras.Model`` from samples to ``[logits (batch, 1), q (batch, Q)]``,
            ``Q = sum(categorical) + continuous``, or ``+ 2 * continuous`` with learned
            log-variances (read from its size).
        categorical: number of values of each categorical code, e.g. ``(10,)``; ``()`` for none.
        continuous: number of continuous codes.
        info_weight: ``lambda``, the weight of ``L_I`` in both losses (1 in the paper).
        continuous_weight: the continuous codes' share of ``L_I``, relative to the categorical
            codes' (1: equal). The paper uses "a smaller lambda" for continuous codes so that
            their term, a differential entropy, stays on the scale of the GAN objective;
            common MNIST reproductions use 0.1.
        **kwargs: those of ``kgan.GAN`` (``loss``, ``d_steps``, ``label_smoothing``,
            ``r1_weight`` on the adversarial head) and every kgan model (``seed``,
            ``ema_decay``, ``augment``, ``mode_seeking``: its pairs are nearby standard normal
            noise, from which ``CodePrior`` makes each sample's codes, so a pair shares its
            categorical codes unless the nudge changes their argmax).

    Codes are named ``c1, c2, ...``, categorical codes first (``code_names``), as in the
    paper. Sampling: ``generate(n, codes={"c1": 7, "c2": np.linspace(-2, 2, n)})`` fixes codes
    and draws the others. ``latent_dim`` is the generator's whole input size and
    ``model(z)``/``sampling_generator`` take that many standard normal values, from which
    ``CodePrior`` makes the codes: samplers, metrics, export and the CLI drive an InfoGAN as
    any other generator.

    Logs: ``d_loss`` and ``g_loss`` (each with ``info_weight * info_loss``), ``loss``,
    ``info_loss`` (``L_I`` in nats, from the discriminator update) and, as for ``GAN``,
    ``r1`` and ``ada_p`` when used.
    """

    def __init__(self, generator, discriminator, categorical=(10,), continuous=2, info_weight=1.0, latent_dim=None,
                 continuous_weight=1.0, **kwargs):
        self.categorical, self.continuous = check_codes(categorical, continuous)
        for name, value, note in (("info_weight", info_weight, "1 in the paper"),
                                  ("continuous_weight", continuous_weight, "1: as the categorical codes")):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"{name} must be a finite number >= 0 ({note}), got {value!r}.")
        if kwargs.get("update", "alternating") != "alternating":
            raise ValueError(f"InfoGAN trains with update='alternating' only, got update={kwargs['update']!r}.")
        self._check_generator(generator)
        self.learns_variance = self._check_discriminator(discriminator)
        super().__init__(generator, discriminator, latent_dim=latent_dim, **kwargs)
        self.info_weight, self.continuous_weight = float(info_weight), float(continuous_weight)
        self.noise_dim = self.latent_dim - code_size(self.categorical, self.continuous)
        self.code_prior = CodePrior(self.noise_dim, self.categorical, self.continuous, name="code_prior")
        self.code_prior.build((None, self.latent_dim))
        self._unsaved = _Unsaved()

    # ------------------------------------------------------------------ checks
    def _codes_text(self):
        return f"categorical={self.categorical}, continuous={self.continuous}"

    def _check_generator(self, generator):
        inputs = getattr(generator, "inputs", None) or []
        shape = tuple(inputs[0].shape) if len(inputs) == 1 else None
        needed = code_size(self.categorical, self.continuous)
        if shape is None or len(shape) != 2:
            raise ValueError(f"An InfoGAN generator takes one input, [noise, codes] of shape (batch, size); "
                             f"{getattr(generator, 'name', generator)!r} takes {[tuple(i.shape) for i in inputs]}.")
        if shape[-1] is None or shape[-1] <= needed:
            raise ValueError(
                f"The generator's input has {shape[-1]} values but the codes ({self._codes_text()}) take {needed} "
                f"and the noise at least 1: build it for noise_dim + {needed} inputs."
            )

    def _check_discriminator(self, discriminator):
        """Whether Q learns the continuous codes' variances, read from the width of its output."""
        outputs = getattr(discriminator, "outputs", None) or []
        if len(outputs) != 2:
            raise ValueError(f"An InfoGAN discriminator returns [logits (batch, 1), q (batch, Q)]; "
                             f"{getattr(discriminator, 'name', discriminator)!r} returns {len(outputs)} output(s).")
        width = outputs[1].shape[-1]
        fixed, learned = (q_size(self.categorical, self.continuous, v) for v in (False, True))
        if width not in (fixed, learned):
            raise ValueError(
                f"The discriminator's Q head gives {width} values per sample but the codes ({self._codes_text()}) "
                f"need {fixed} (categorical logits and continuous means) or {learned} (with log-variances)."
            )
        return bool(self.continuous) and width == learned

    # ------------------------------------------------------------------ codes
    @property
    def code_names(self):
        return [f"c{i + 1}" for i in range(len(self.categorical) + self.continuous)]

    def sample_inputs(self, n):
        """The generator's input for ``n`` samples: standard normal noise through ``code_prior``."""
        return self.code_prior(self.sample_noise(n))

    def info_loss(self, inputs, q):
        """``L_I``: Q's loss at reading the codes held in the generator ``inputs`` from ``q``
        (the continuous codes' negative log-likelihood weighted by ``continuous_weight``)."""
        codes = inputs[:, self.noise_dim :]
        loss = ops.zeros((), dtype="float32")
        start = 0
        for k in self.categorical:
            loss = loss + categorical_code_loss(codes[:, start : start + k], q[:, start : start + k])
            start += k
        if self.continuous:
            c = self.continuous
            log_variances = q[:, start + c : start + 2 * c] if self.learns_variance else None
            nll = gaussian_code_nll(codes[:, start:], q[:, start : start + c], log_variances)
            loss = loss + self.continuous_weight * nll
        return loss

    # ------------------------------------------------------------------ training
    def tracker_names(self):
        return super().tracker_names() + ("info_loss",)

    def call_discriminator(self, images, labels, training):
        return self.discriminator(images, training=training)[0]

    def discriminate_with_q(self, images, training=True):
        """``(logits, q)`` of the discriminator; in training on images augmented as ``augment`` says."""
        if training and self.augmentation is not None:
            images = augmentations.apply(self.augmentation, images, self.seed_generator)
        logits, q = self.discriminator(images, training=training)
        return logits, q

    def discriminator_update(self, real, labels):
        inputs = self.sample_inputs(ops.shape(real)[0])
        fake = backend.without_gradient(lambda: self.generator(inputs, training=True))

        def discriminate(images):
            return self.discriminate(images, labels, training=True)

        def loss_fn():
            aux = {}
            if self.r1_weight:
                real_logits, gradients = backend.value_and_input_gradient(discriminate, real)
                aux["r1"] = penalties.r1_penalty(gradients)
            else:
                real_logits = discriminate(real)
            fake_logits, q = self.discriminate_with_q(fake)
            info = self.info_loss(inputs, q)
            loss = self._d_loss_fn(real_logits, fake_logits, self.label_smoothing) + self.info_weight * info
            if self.r1_weight:
                loss = loss + 0.5 * self.r1_weight * aux["r1"]
            return loss, dict(aux, info_loss=info, real_logits=real_logits)

        d_loss, aux = backend.minimize(self.d_optimizer, self.discriminator.trainable_variables, loss_fn)
        return {"d_loss": d_loss, **aux}

    def generator_update(self, batch_size, labels):
        noise = self.sample_noise(batch_size)
        if self.mode_seeking:  # pairs of nearby standard normal noise, before the codes are made of it
            noise = mode_seeking_training.pair_noise(noise, self.mode_seeking_scale, self.seed_generator)
        inputs = self.code_prior(noise)

        def loss_fn():
            fake = self.generator(inputs, training=True)
            logits, q = self.discriminate_with_q(fake)
            loss = self.generator_loss_of(self._g_loss_fn, logits) + self.info_weight * self.info_loss(inputs, q)
            if self.mode_seeking:
                loss = loss + self.mode_seeking * mode_seeking_training.penalty(noise, fake)
            return loss, {}

        g_loss, _ = backend.minimize(self.g_optimizer, self.generator.trainable_variables, loss_fn)
        return g_loss

    # ------------------------------------------------------------------ sampling
    @property
    def sampling_generator(self):
        """Standard normal noise ``(batch, latent_dim)`` -> samples, through ``code_prior`` and
        the generator (its EMA copy when the model keeps one)."""
        return self.from_noise(self.ema_generator if self.ema_generator is not None else self.generator)

    def from_noise(self, generator):
        """``generator`` behind ``code_prior``: a model of standard normal noise (built once)."""
        cache = self._unsaved.networks
        if id(generator) not in cache:
            z = keras.Input((self.latent_dim,), name="noise")
            cache[id(generator)] = keras.Model(z, generator(self.code_prior(z)), name=f"{generator.name}_from_noise")
        return cache[id(generator)]

    def generate(self, n, codes=None, seed=None, batch_size=256, use_ema=True, truncation=None):
        """``n`` samples as float32 NumPy. ``codes`` maps code names (``code_names``) to one value
        or ``n`` values each (a class index for a categorical code, any real for a continuous
        one: the paper traverses (-2, 2)); the other codes and the noise are drawn, with NumPy
        (``seed``), as ``sampling_generator`` would from ``kgan.latent.sample(n, latent_dim,
        seed)``. ``truncation`` scales the noise only, never the codes."""
        n = int(n)
        if n < 1:
            raise ValueError(f"generate() needs n >= 1, got {n}.")
        inputs = ops.convert_to_numpy(self.code_prior(latent.sample(n, self.latent_dim, seed))).astype("float32")
        inputs[:, : self.noise_dim] = latent.truncate(inputs[:, : self.noise_dim], truncation)
        self._fix_codes(inputs, codes)
        network = self.ema_generator if use_ema and self.ema_generator is not None else self.generator
        batches = [ops.convert_to_numpy(network(inputs[start : start + batch_size], training=False))
                   for start in range(0, n, batch_size)]
        return np.concatenate(batches, axis=0).astype("float32")

    def _fix_codes(self, inputs, codes):
        if codes is None:
            return
        names = self.code_names
        if not isinstance(codes, dict):
            raise ValueError(f"codes must be a dict from code name ({', '.join(names)}) to values, got {codes!r}.")
        n = inputs.shape[0]
        for name, value in codes.items():
            if name not in names:
                raise ValueError(f"Unknown code {name!r}; this InfoGAN's codes are {names} "
                                 f"({self._codes_text()}: categorical codes first).")
            values = np.asarray(value).reshape(-1)
            if values.shape[0] not in (1, n):
                raise ValueError(f"Code {name} got {values.shape[0]} values for n={n} samples; give one value or n.")
            values = np.broadcast_to(values, (n,))
            index = names.index(name)
            if index < len(self.categorical):
                k = self.categorical[index]
                if values.dtype.kind not in "iu" or values.min() < 0 or values.max() >= k:
                    raise ValueError(f"Categorical code {name} takes integers in [0, {k}), got {value!r}.")
                start = self.noise_dim + sum(self.categorical[:index])
                inputs[:, start : start + k] = np.eye(k, dtype="float32")[values]
            else:
                if values.dtype.kind not in "iuf" or not np.isfinite(values).all():
                    raise ValueError(f"Continuous code {name} takes finite numbers, got {value!r}.")
                inputs[:, self.noise_dim + sum(self.categorical) + index - len(self.categorical)] = values

    def get_config(self):
        config = super().get_config()
        config.update(categorical=list(self.categorical), continuous=self.continuous, info_weight=self.info_weight,
                      continuous_weight=self.continuous_weight)
        return config
