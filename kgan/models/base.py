"""Shared machinery of kgan's adversarial models.

``AdversarialModel`` is a ``keras.Model`` holding a generator, a discriminator (or critic) and
two optimizers. Subclasses own only *what* is optimised (their losses and update schedule);
this class owns compiling, loss trackers, sampling, data checks and (de)serialisation, so that
``compile``/``fit``/``save``/``load_model`` behave as for any Keras model (except that a
failed ``save``/``save_weights`` leaves the previous file intact).
"""

import inspect
import warnings

import keras
import numpy as np
from keras import ops

from kgan import augment as augmentations
from kgan import backend, ema, latent, mode_seeking as mode_seeking_training, top_k as top_k_training
from kgan.models import atomic_write, critic_batches, data_checks, fused_discriminator, jit_choice
from kgan.models.seed_state import SavesSeedState
from kgan.models.trackers import LossTrackers

# compile() arguments that make no sense for a GAN, with what to do instead.
_REJECTED_COMPILE_ARGS = {
    "optimizer": "pass g_optimizer= and d_optimizer= instead",
    "loss": "choose the adversarial loss in the model's constructor (loss=...)",
    "loss_weights": "GAN losses are set in the constructor",
    "metrics": "measure samples with kgan.callbacks.FrechetDistanceCallback or kgan.evaluate",
    "weighted_metrics": "measure samples with kgan.callbacks.FrechetDistanceCallback",
}


class AdversarialModel(jit_choice.MeasuresJitCompile, SavesSeedState, keras.Model):
    """Base class: a generator/discriminator pair trained with two optimizers.

    Batches: ``fit``'s ``batch_size`` (or a dataset's batch) is the number of real images in
    each discriminator update. A model making ``k = discriminator_steps`` updates per
    generator update (``n_critic``, ``d_steps``) gives each its own batch, so one ``fit`` step
    (one generator update, on a batch of the same size) consumes ``k`` batches and an epoch
    over ``N`` images has ``N // (batch_size * k)`` steps. See ``fit``.

    Args:
        generator: a built ``keras.Model`` mapping noise (and labels, for conditional
            models) to images.
        discriminator: a built ``keras.Model`` mapping images (and labels) to logits of shape
            ``(batch, 1)``.
        latent_dim: size of the noise vector; defaults to the generator's noise input size.
        seed: seed of the model's ``keras.random.SeedGenerator``, which draws all training
            noise; ``None`` draws one at random (``keras.utils.set_random_seed`` fixes it).
        ema_decay: keep ``ema_generator``, an exponential moving average of the generator's
            weights with this decay (e.g. 0.999), updated after every generator update;
            ``None`` (default) keeps none. Sampling (``generate``, ``model(noise)``,
            ``SampleGrid``, ``FrechetDistanceCallback``, export, the CLI, the zoo) then uses
            the average; ``model.generator`` stays the raw, trained network
            (``generate(..., use_ema=False)`` samples it). See ``kgan.ema``.
        ema_start: generator updates before averaging begins; until then the average
            follows the weights.
        augment: differentiable augmentation of every image the discriminator sees, real
            and fake, in both updates: a policy such as ``"color,translation,cutout"``
            (DiffAugment), ``"ada"`` (adaptive; ``p`` logged as ``ada_p``), a
            ``kgan.augment`` layer, any Keras layer or a callable on image batches. Labels
            pass through unchanged. See ``kgan.augment``.
        mode_seeking: weight of the mode-seeking term (``kgan.mode_seeking``, after MSGAN) in
            the generator's loss (and its logged ``g_loss``): each update pairs half its noise
            with nearby copies and penalises pairs whose images barely differ, the mark of a
            collapsed mode; 0 (the default) turns it off. Models whose generator update is
            ``minimize_generator_loss`` take it (GAN with alternating updates,
            ConditionalGAN, WGAN, WGANGP), and InfoGAN, whose update adds it itself. Half
            of the generator update's fake batch are then near-copies, which a discriminator
            that compares samples sees (BatchNormalization's batch statistics,
            MinibatchDiscrimination's closeness).
        mode_seeking_scale: standard deviation of the noise perturbation that makes the pairs.
    """

    conditional = False
    supports_mode_seeking = True  # False where the generator update neither is minimize_generator_loss nor adds it
    updates_simultaneously = False  # True: ``simultaneous_update`` makes both updates (kgan.GAN's update=)

    def __init__(self, generator, discriminator, latent_dim=None, seed=None, ema_decay=None, ema_start=0,
                 augment=None, top_k=None, top_k_updates=0, mode_seeking=0.0, mode_seeking_scale=0.25, **kwargs):
        ema.validate(ema_decay, ema_start)
        top_k_training.validate(top_k, top_k_updates)
        mode_seeking_training.validate(mode_seeking, mode_seeking_scale)
        if mode_seeking and not self.supports_mode_seeking:
            raise ValueError(f"{type(self).__name__} makes its own generator update and takes no mode_seeking "
                             f"(got {mode_seeking!r}); use 0, or GAN, ConditionalGAN, InfoGAN, WGAN or WGANGP.")
        super().__init__(**kwargs)
        self.generator = _require_model("generator", generator)
        self.discriminator = _require_model("discriminator", discriminator)
        self.latent_dim = _resolve_latent_dim(generator, latent_dim)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="noise_seed")
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self.ema_start = int(ema_start)
        self.ema_generator = None
        if self.ema_decay is not None:
            self.ema_generator = ema.clone_generator(generator)
            self.ema_updates = keras.Variable(0, dtype="int32", trainable=False, name="ema_updates")
        self.top_k = None if top_k is None else float(top_k)
        self.top_k_updates = int(top_k_updates)
        self.mode_seeking = float(mode_seeking)
        self.mode_seeking_scale = float(mode_seeking_scale)
        self.augmentation = augmentations.get(augment)
        if isinstance(self.augmentation, keras.layers.Layer) and not self.augmentation.built:
            # A Keras layer given as augment= (e.g. RandomFlip): built for the images now, so fit
            # does not try to build the whole model on a data batch.
            self.augmentation.build((None,) + tuple(generator.outputs[0].shape[1:]))
        self.trackers = LossTrackers(self.tracker_names() + self._option_tracker_names())
        # One discriminator call on real and fake together where every layer is per-sample
        # (no batch norm): the same logits and gradients, cheaper (kgan.models.fused_discriminator).
        self.fuses_discriminator_calls = fused_discriminator.samplewise(self.discriminator)
        self.g_optimizer = None
        self.d_optimizer = None
        self._kgan_compile_kwargs = {}
        # Built from the sub-models: fit must not build it by calling it on a data batch.
        self.built = True

    # ----------------------------------------------------------------- subclass hooks
    def tracker_names(self):
        """Names of the values logged by ``fit`` (``loss`` is d_loss + g_loss, for Keras
        callbacks such as ``TerminateOnNaN`` that read ``logs["loss"]``)."""
        return ("d_loss", "g_loss", "loss")

    def discriminator_update(self, real, labels):
        """One discriminator/critic update on a real batch; returns a dict of logged values,
        plus ``real_logits`` (the discriminator's outputs on the real batch, which adaptive
        augmentation reads; not logged)."""
        raise NotImplementedError

    def generator_update(self, batch_size, labels):
        """One generator update; returns the generator loss."""
        raise NotImplementedError

    def simultaneous_update(self, real, labels):
        """Both updates from one forward pass (when ``updates_simultaneously``); returns the
        discriminator update's dict plus ``g_loss``."""
        raise NotImplementedError

    def minimize_generator_loss(self, batch_size, labels, loss_of_fake_logits):
        """The usual generator update: fresh noise, ``loss_of_fake_logits(D(G(z)))`` minimised
        over the generator's weights (the discriminator sees the fakes as in training), plus the
        ``mode_seeking`` term on paired noise when the model has one."""
        noise = self.sample_noise(batch_size)
        if self.mode_seeking:
            noise = mode_seeking_training.pair_noise(noise, self.mode_seeking_scale, self.seed_generator)
            labels = mode_seeking_training.pair_labels(labels)

        def loss_fn():
            fake = self.generate_images(noise, labels, training=True)
            loss = self.generator_loss_of(loss_of_fake_logits, self.discriminate(fake, labels, training=True))
            if self.mode_seeking:
                loss = loss + self.mode_seeking * mode_seeking_training.penalty(noise, fake)
            return loss, {}

        g_loss, _ = backend.minimize(self.g_optimizer, self.generator.trainable_variables, loss_fn)
        return g_loss

    def generator_loss_of(self, loss_of_fake_logits, fake_logits):
        """``loss_of_fake_logits(fake_logits)``, averaged over the top-k samples when the model
        trains with ``top_k`` (the loss must then take ``sample_weight=``, as kgan.losses' do)."""
        if self.top_k is None:
            return loss_of_fake_logits(fake_logits)
        keep = top_k_training.fraction(self.g_optimizer.iterations, self.top_k, self.top_k_updates)
        return loss_of_fake_logits(fake_logits, sample_weight=top_k_training.mask(fake_logits, keep))

    @property
    def discriminator_steps(self):
        """Discriminator updates per generator update."""
        return 1

    def _option_tracker_names(self):
        return ("ada_p",) if getattr(self.augmentation, "adaptive", False) else ()

    @property
    def sampling_generator(self):
        """The network samples come from: ``ema_generator`` when there is one, else ``generator``."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    # ----------------------------------------------------------------- compile
    def compile(self, g_optimizer=None, d_optimizer=None, **kwargs):
        """Configure training with one optimizer per network.

        Args:
            g_optimizer: optimizer (instance, name or config) of the generator.
            d_optimizer: optimizer of the discriminator; a different instance.
            **kwargs: other ``keras.Model.compile`` arguments (``run_eagerly``,
                ``steps_per_execution``, ``jit_compile``, ``auto_scale_loss``). XLA follows
                Keras's ``jit_compile="auto"``: off on CPU-only TensorFlow, where its effect
                depends on the network and the CPU (README.md); pass ``jit_compile=True``
                where it measurably helps, or ``jit_compile="measure"`` to time the first
                steps both ways and keep the faster (recorded with the model's weights;
                ``kgan.models.jit_choice``).
        """
        missing = [n for n, o in (("g_optimizer", g_optimizer), ("d_optimizer", d_optimizer)) if o is None]
        if missing:
            raise ValueError(
                f"{type(self).__name__}.compile() needs two optimizers; missing: {', '.join(missing)}. "
                "Example: compile(g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), "
                "d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))."
            )
        for name, advice in _REJECTED_COMPILE_ARGS.items():
            if kwargs.get(name) is not None:
                raise ValueError(f"{type(self).__name__}.compile() got {name}=: {advice}.")
            kwargs.pop(name, None)
        g_optimizer = keras.optimizers.get(g_optimizer)
        d_optimizer = keras.optimizers.get(d_optimizer)
        if g_optimizer is d_optimizer:
            raise ValueError(
                "g_optimizer and d_optimizer are the same object; give each network its own "
                "optimizer instance (their state must not mix)."
            )
        requested = dict(kwargs)
        super().compile(optimizer=None, **jit_choice.resolve(self, kwargs))
        self.keep_recorded_jit_compile()
        if kwargs.get("auto_scale_loss", True) and self._uses_float16():
            g_optimizer = _loss_scaled(g_optimizer, "g")
            d_optimizer = _loss_scaled(d_optimizer, "d")
        self.g_optimizer = g_optimizer
        self.d_optimizer = d_optimizer
        # Build optimizer state now: loading a checkpoint needs the variables to exist.
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        backend.attach_optimizers(self)
        self._kgan_compile_kwargs = requested

    def _uses_float16(self):
        models = (self, self.generator, self.discriminator)
        return any(m.dtype_policy.name == "mixed_float16" for m in models)

    def get_compile_config(self):
        if not self.compiled:
            return {}
        return {
            "g_optimizer": keras.saving.serialize_keras_object(self.g_optimizer),
            "d_optimizer": keras.saving.serialize_keras_object(self.d_optimizer),
            **self._kgan_compile_kwargs,
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)

    # ----------------------------------------------------------------- training
    @property
    def metrics(self):
        return [self.trackers]

    def fit(self, x=None, y=None, *args, **kwargs):
        """``keras.Model.fit``, where a step is one generator update.

        ``batch_size`` (or the batch of a dataset) is the number of real images in *each*
        discriminator update. With ``k = discriminator_steps`` updates per generator update
        (``n_critic``, ``d_steps``) every update sees its own batch, so a step consumes ``k``
        batches and an epoch over ``N`` images has ``N // (batch_size * k)`` steps (what is
        left over is not used that epoch; with ``k = 1``, Keras's usual ``ceil(N /
        batch_size)``). Epochs, the progress bar, ``steps_per_epoch``, logs and callbacks
        count generator updates. See ``kgan.models.critic_batches``.
        """
        if not self.compiled or self.g_optimizer is None:
            raise ValueError(
                f"Call {type(self).__name__}.compile(g_optimizer=..., d_optimizer=...) before fit()."
            )
        arguments = inspect.signature(keras.Model.fit).bind(self, x, y, *args, **kwargs).arguments
        arguments.pop("self")
        data_checks.check_fit_data(self, arguments.get("x"), arguments.get("y"))
        callbacks = arguments.get("callbacks") or []
        for callback in callbacks:
            # Lets kgan callbacks find their siblings (SampleGrid writes into TensorBoard's log_dir).
            if hasattr(callback, "set_sibling_callbacks"):
                callback.set_sibling_callbacks(callbacks)
        k = self.discriminator_steps
        if k > 1:
            arguments = critic_batches.fit_arguments(k, arguments)
        with warnings.catch_warnings():
            if k > 1 and arguments.get("steps_per_epoch") is None and int(arguments["x"].cardinality()) == -2:
                # Grouping a dataset of unknown batch size (.batch(n) without drop_remainder)
                # filters out a short last batch, which leaves the number of steps unknown:
                # Keras then warns at the end of every first epoch, as if data were missing.
                # (-2 is tf.data.UNKNOWN_CARDINALITY.)
                warnings.filterwarnings("ignore", message="Your input ran out of data")
            history = super().fit(**arguments)
        if history.epoch:
            self.finalize_variable_values()
        return history

    def finalize_variable_values(self):
        """Apply what each optimizer keeps back until training ends: with
        ``use_ema=True`` its network's weights become their moving averages.

        Keras does this for ``model.optimizer`` at the end of ``fit``; a GAN has two
        optimizers, so ``fit`` calls this instead (e.g. ``g_optimizer=Adam(...,
        use_ema=True, ema_momentum=0.999)`` ends with the averaged generator).
        """
        self.g_optimizer.finalize_variable_values(self.generator.trainable_variables)
        self.d_optimizer.finalize_variable_values(self.discriminator.trainable_variables)

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Called by Keras's TensorFlow trainer only. A kgan model is built from its sub-models
        # and compiles no Keras loss or metric, so there is nothing to build; Keras 3.15 would
        # first all-reduce one data batch, which fails for (images, labels) under a
        # multi-worker strategy ("Attempt to convert a value (PerReplica...").
        if not all(layer.built for layer in self._flatten_layers()):
            super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    def train_step(self, *args):
        # TensorFlow and torch call train_step(data); JAX calls train_step(state, data).
        return backend.train_step(self, self.adversarial_step, *args)

    def adversarial_step(self, data):
        """One training step, written as stateful code on every backend: ``k =
        discriminator_steps`` discriminator updates, each on its own real batch (``fit``
        hands the step ``k`` interleaved batches, see ``critic_batches``), then one generator
        update on a batch of the same size."""
        real, labels = self.unpack(data)
        parts = self.discriminator_steps
        adaptive = getattr(self.augmentation, "adaptive", False)
        for i in range(parts):
            real_i, labels_i = critic_batches.take(real, i, parts), critic_batches.take(labels, i, parts)
            if self.updates_simultaneously:
                logs = dict(self.simultaneous_update(real_i, labels_i))
            else:
                logs = dict(self.discriminator_update(real_i, labels_i))
            real_logits = logs.pop("real_logits", None)
            if adaptive:
                if real_logits is None:
                    raise ValueError(f"augment='ada' needs {type(self).__name__}.discriminator_update to "
                                     "report 'real_logits'.")
                self.augmentation.update(real_logits)
        if self.updates_simultaneously:
            g_loss = logs.pop("g_loss")
        else:
            g_loss = self.generator_update(ops.shape(real_i)[0], labels_i)
        if self.ema_generator is not None:
            ema.update(self.ema_generator, self.generator, self.ema_updates, self.ema_decay, self.ema_start)
        logs = dict(logs, g_loss=g_loss, loss=logs["d_loss"] + g_loss)
        if adaptive:
            logs["ada_p"] = self.augmentation.p
        return self.trackers.update(logs)

    def test_step(self, data):
        raise NotImplementedError(
            f"{type(self).__name__} has no validation loss; measure samples with "
            "kgan.evaluate or kgan.callbacks.FrechetDistanceCallback instead of evaluate()."
        )

    def unpack(self, data):
        """Split a batch into float images and (for conditional models) integer labels."""
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
            x, y = x  # fit(x=(images, labels))
        data_checks.check_batch_structure(self, x, y)
        return ops.cast(x, "float32"), y

    # ----------------------------------------------------------------- networks
    def sample_noise(self, n):
        """Standard normal noise from the model's seed generator (advances its state).

        Under ``tf.distribute`` each replica gets its own rows of one global draw, so
        replicas do not share noise and the update equals a one-device step.
        """
        return backend.replica_rows(lambda m: keras.random.normal((m, self.latent_dim), seed=self.seed_generator), n)

    def sample_uniform(self, n):
        """``U(0, 1)`` values of shape ``(n,)`` (e.g. interpolation weights), drawn like ``sample_noise``."""
        return backend.replica_rows(lambda m: keras.random.uniform((m,), seed=self.seed_generator), n)

    def generate_images(self, noise, labels, training=False, network=None):
        """``network`` (default: the trained generator) applied to noise (and labels)."""
        return self.call_generator(self.generator if network is None else network, noise, labels, training)

    def call_generator(self, network, noise, labels, training):
        """How a generator network is called; conditional models pass labels too."""
        return network(noise, training=training)

    def discriminate(self, images, labels, training=True):
        """The discriminator's logits; in training, on images augmented as ``augment`` says."""
        if training and self.augmentation is not None:
            images = augmentations.apply(self.augmentation, images, self.seed_generator)
        return self.call_discriminator(images, labels, training)

    def discriminate_real_and_fake(self, real, fake, labels, fuse=True):
        """``(D(real), D(fake))`` in training mode, as one call on both when ``fuse`` and
        ``fuses_discriminator_calls`` (every discriminator layer per-sample), else two."""
        return fused_discriminator.real_and_fake_logits(
            lambda images, y: self.discriminate(images, y, training=True), real, fake, labels,
            fuse and self.fuses_discriminator_calls)

    def call_discriminator(self, images, labels, training):
        """How the discriminator network is called; conditional models pass labels too."""
        return self.discriminator(images, training=training)

    def call(self, inputs, training=False):
        """Samples: ``model(noise)`` (or ``model([noise, labels])``) returns images of the
        sampling generator (the EMA one when there is one)."""
        noise, labels = inputs if self.conditional else (inputs, None)
        return self.generate_images(noise, labels, training=training, network=self.sampling_generator)

    def generate(self, n, labels=None, seed=None, batch_size=256, use_ema=True, truncation=None):
        """Return ``n`` images as a float32 NumPy array in the generator's output range.

        Noise is drawn with NumPy (``seed`` fixes it, the same on every backend) and never
        touches the training seed generator, so sampling does not perturb training.
        For conditional models ``labels`` defaults to ``0, 1, ..., num_classes-1, 0, ...``.
        Samples come from ``ema_generator`` when the model keeps one, unless ``use_ema=False``.
        ``truncation`` (``psi``, e.g. 0.7) scales the noise towards the prior's mean: fewer odd
        samples for less variety (``kgan.latent.truncate``); ``None`` or 1 leaves it as drawn.
        """
        n = int(n)
        if n < 1:
            raise ValueError(f"generate() needs n >= 1, got {n}.")
        noise = latent.truncate(latent.sample(n, self.latent_dim, seed), truncation)
        if self.conditional:
            labels = data_checks.as_label_array(self, labels, n)
        elif labels is not None:
            raise ValueError(f"{type(self).__name__} is not conditional; got labels={labels!r}.")
        network = self.sampling_generator if use_ema else self.generator
        batches = []
        for start in range(0, n, batch_size):
            part_labels = None if labels is None else labels[start : start + batch_size]
            images = self.generate_images(noise[start : start + batch_size], part_labels, training=False,
                                          network=network)
            batches.append(ops.convert_to_numpy(images).astype("float32"))
        return np.concatenate(batches, axis=0)

    # ----------------------------------------------------------------- saving
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "seed": self.seed,
            "ema_decay": self.ema_decay,
            "ema_start": self.ema_start,
            "augment": augmentations.serialize(self.augmentation),
            "top_k": self.top_k,
            "top_k_updates": self.top_k_updates,
            "mode_seeking": self.mode_seeking,
            "mode_seeking_scale": self.mode_seeking_scale,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key], custom_objects=custom_objects)
        return cls(**config)

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """``keras.Model.save``, but a failed write never replaces the previous file: it
        goes to a temporary file beside ``filepath``, moved onto it once complete."""
        save = super().save
        if zipped is not False and atomic_write.write_atomically(
            filepath, overwrite, atomic_write.MODEL_SUFFIXES,
            lambda temporary: save(temporary, overwrite=True, zipped=zipped, **kwargs),
        ):
            return None
        return save(filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """``keras.Model.save_weights``, written like ``save`` (sharded writes go in place)."""
        save_weights = super().save_weights
        if max_shard_size is None and atomic_write.write_atomically(
            filepath, overwrite, atomic_write.WEIGHTS_SUFFIXES,
            lambda temporary: save_weights(temporary, overwrite=True),
        ):
            return None
        return save_weights(filepath, overwrite=overwrite, max_shard_size=max_shard_size)


def _require_model(role, model):
    if not isinstance(model, keras.Model):
        raise ValueError(f"{role} must be a keras.Model, got {type(model).__name__}.")
    if not model.built:
        raise ValueError(f"{role} {model.name!r} is not built; build it (or use a functional model) first.")
    return model


def _resolve_latent_dim(generator, latent_dim):
    noise_shape = generator.inputs[0].shape if getattr(generator, "inputs", None) else None
    inferred = noise_shape[-1] if noise_shape is not None and len(noise_shape) == 2 else None
    if latent_dim is None:
        if inferred is None:
            raise ValueError(
                f"Cannot infer latent_dim from generator {generator.name!r} (noise input shape "
                f"{noise_shape}); pass latent_dim= explicitly."
            )
        return int(inferred)
    latent_dim = int(latent_dim)
    if latent_dim < 1 or (inferred is not None and inferred != latent_dim):
        raise ValueError(
            f"latent_dim={latent_dim} does not match the generator's noise input size {inferred}."
        )
    return latent_dim


def _loss_scaled(optimizer, prefix):
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer, name=f"{prefix}_loss_scale_optimizer")


__all__ = ["AdversarialModel"]
