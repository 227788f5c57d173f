"""ProgressiveGAN: networks that grow from 4x4 to the final resolution (Karras et al. 2018).

How growth meets ``fit``: the networks hold the blocks of every resolution from the start
(``kgan.networks.progressive_generator`` / ``progressive_discriminator``), so the set of
weights -- and everything Keras tracks, saves and (on JAX) threads through the step -- never
changes. Only the layers a step *calls* change: the stage and whether it fades in are Python
values read while the train step is traced, so each phase runs a graph holding just its own
blocks (no cost for the unused resolutions, no backend-specific switch). The fade-in weight
alpha is a model variable read inside the step. Between steps ``PhaseCallback`` (added by
``fit``) compares the image count with the schedule and, when a new phase begins, makes Keras
retrace the step (``make_train_function(force=True)``; TF and JAX read ``train_function``
before every step, torch runs eagerly): one retrace per phase, about ``2 * stages`` in a run.

The schedule gives every stage its batch size, so ``fit`` takes the images (an array, or a
finite dataset read into memory) and feeds them itself (``progressive_feed``); an epoch is
``steps_per_epoch`` steps, by default one pass over the data at the first stage's batch size.
The image count, stage, alpha and the data order's seed are model variables: ``.keras`` files
and ``BackupAndRestore`` keep them, and a resumed run continues in the same phase at the same
alpha with the same batches.
"""

import keras
import numpy as np
from keras import ops
from keras.src.trainers.compile_utils import MetricsList

from kgan import backend, losses, penalties
from kgan.models.base import AdversarialModel
from kgan.models.progressive_feed import ImageStream, PhaseCallback, as_images
from kgan.models.progressive_schedule import ProgressiveSchedule
from kgan.models.trackers import Latest
from kgan.networks import progressive as networks


@keras.saving.register_keras_serializable(package="kgan")
class ProgressiveGAN(AdversarialModel):
    """A progressive GAN trained through ``fit``.

    Args:
        generator: a progressive generator (``kgan.networks.progressive_generator``).
        discriminator: a progressive discriminator (``kgan.networks.progressive_discriminator``).
        schedule: a ``ProgressiveSchedule`` (or its config); default: the paper's for the
            generator's final resolution (800k images per phase, batch 16).
        loss: a ``kgan.losses`` name; ``"wasserstein"`` (WGAN-GP, the paper's) by default.
        gp_weight: gradient penalty on interpolates of real and fake images (10 in the paper;
            0 turns it off).
        drift_weight: drift penalty ``mean(D(x)^2)`` keeping critic outputs near 0 (0.001).
        seed: seed of the training noise and of the data order; ``ema_decay``, ``ema_start``,
            ``augment``: see ``kgan.AdversarialModel`` (the EMA averages every resolution's
            weights; augmentation sees the images at the stage's resolution).

    Training: real images are average-pooled to the stage's resolution; while a stage fades in
    they are blended with their half-resolution version upsampled, as the generator's images
    are blended with the previous stage's. ``fit(images, epochs=...)`` takes images at the
    final resolution; batch sizes come from the schedule, so ``batch_size`` is not given.
    Logs: ``d_loss``, ``g_loss``, ``loss``, ``gp``, ``wasserstein`` (the critic's estimate,
    with the Wasserstein loss), and the step's ``resolution``, ``alpha`` and ``kimg``
    (thousands of real images seen).

    Sampling: ``generate``, ``model(noise)`` and ``SampleGrid`` show the current stage (faded
    in as far as training is), upsampled to the final resolution and clipped to [-1, 1];
    ``sampling_generator`` (used by export, the CLI and the zoo) and ``generator_at(r)`` are
    plain one-output models at a fixed resolution, identical to ``generate`` at the end of the
    schedule. ``model.generator`` is the progressive network with every resolution's output.
    """

    supports_mode_seeking = False  # its generator update is its own

    def __init__(self, generator, discriminator, schedule=None, loss="wasserstein", gp_weight=10.0,
                 drift_weight=0.001, latent_dim=None, seed=None, **kwargs):
        losses.validate(loss)
        if not (gp_weight >= 0 and drift_weight >= 0):
            raise ValueError(f"gp_weight and drift_weight must be >= 0, got {gp_weight!r} and {drift_weight!r}.")
        self.loss_name, self.gp_weight, self.drift_weight = loss, float(gp_weight), float(drift_weight)
        super().__init__(generator, discriminator, latent_dim=latent_dim, seed=seed, **kwargs)
        self.schedule = _schedule(schedule, generator)
        networks.check_progressive(generator, "generator", self.schedule.resolution)
        networks.check_progressive(discriminator, "discriminator", self.schedule.resolution)
        _check_groups(self.schedule, networks.minibatch_group_size(discriminator))
        self._d_loss_fn, self._g_loss_fn = losses.get(loss)
        self._images = keras.Variable(0, dtype="int32", trainable=False, name="images_seen")
        self._stage = keras.Variable(0, dtype="int32", trainable=False, name="stage")
        self._alpha = keras.Variable(1.0, dtype="float32", trainable=False, name="alpha")
        data_seed = seed if seed is not None else np.random.randint(2**31 - 1)
        self._data_seed = keras.Variable(int(data_seed) % (2**31 - 1), dtype="int32", trainable=False,
                                         name="data_seed")
        self.progress = _Progress(("resolution", "alpha", "kimg"))
        self._views = _Views()
        self._phase = None
        self.enter_phase(0)
        self._stage.assign(self._phase.stage)
        self._alpha.assign(self._phase.alpha(0))

    # ----------------------------------------------------------------- state
    @property
    def images_seen(self):
        """Real images shown to the discriminator so far."""
        return int(ops.convert_to_numpy(self._images))

    @property
    def stage(self):
        """Stage of the next step (0 for 4x4)."""
        return int(ops.convert_to_numpy(self._stage))

    @property
    def alpha(self):
        """Fade-in weight of the next step (1 outside fade-ins)."""
        return float(ops.convert_to_numpy(self._alpha))

    @property
    def resolution(self):
        """Image side of the next step's stage."""
        return self.schedule.resolutions[self.stage]

    @property
    def data_seed(self):
        return int(ops.convert_to_numpy(self._data_seed))

    @property
    def phase(self):
        """The schedule's ``Phase`` the next step belongs to (what the train step is traced for)."""
        return self._phase

    def enter_phase(self, images):
        """Make the next step that of the phase beginning after ``images`` images; a new phase
        drops the compiled train and predict functions, so Keras retraces them."""
        phase = self.schedule.phase_at(images)
        changed = self._phase is None or phase.key != self._phase.key
        self._phase = phase
        if changed:
            self.predict_function = None
            if getattr(self, "train_function", None) is not None:
                self.make_train_function(force=True)

    # ----------------------------------------------------------------- training
    def tracker_names(self):
        names = ("d_loss", "g_loss", "loss") + (("gp",) if self.gp_weight else ())
        return names + (("wasserstein",) if self.loss_name == "wasserstein" else ())

    @property
    def metrics(self):
        return [self.trackers, self.progress]

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        """Train on images at the final resolution (an array, or a finite ``tf.data.Dataset``
        read into memory), in batches the schedule sets; ``shuffle=False`` keeps their order.

        An epoch is ``steps_per_epoch`` steps (default: one pass over the data at the first
        stage's batch size); ``schedule.total_steps`` steps cover the whole schedule.
        """
        unsupported = {"y": y, "batch_size": batch_size, "class_weight": class_weight, "sample_weight": sample_weight,
                       "validation_data": validation_data, "validation_split": validation_split or None}
        given = [name for name, value in unsupported.items() if value is not None]
        if given:
            raise ValueError(f"ProgressiveGAN.fit takes images only; got {', '.join(given)}. Batch sizes come from "
                             f"the schedule ({self.schedule!r}).")
        if self.compiled and self.steps_per_execution != 1:
            raise ValueError(f"ProgressiveGAN needs steps_per_execution=1 (its phase can change after any step), "
                             f"got {self.steps_per_execution}.")
        channels = self.generator.outputs[0].shape[-1]
        stream = ImageStream(as_images(x, self.schedule.resolution, channels), self.schedule, shuffle)
        steps = steps_per_epoch or max(1, len(stream.images) // self.schedule.phases[0].batch_size)
        callbacks = list(callbacks or []) + [PhaseCallback(stream)]
        return super().fit(stream.dataset(), epochs=epochs, verbose=verbose, callbacks=callbacks,
                           initial_epoch=initial_epoch, steps_per_epoch=steps, shuffle=False)

    def adversarial_step(self, data):
        phase = self._phase
        before = ops.convert_to_tensor(self._images)
        alpha = phase.alpha_tensor(before)  # the value of self._alpha, computed now (a read would come late)
        logs = super().adversarial_step(data)
        real, _ = self.unpack(data)
        images = before + ops.cast(ops.shape(real)[0], "int32")
        stage, next_alpha = self.schedule.state_at(images)
        self._images.assign(images)
        self._stage.assign(stage)
        self._alpha.assign(next_alpha)
        progress = {"resolution": phase.resolution, "alpha": alpha, "kimg": ops.cast(images, "float32") / 1000.0}
        return {**logs, **self.progress.update(progress)}

    def real_images(self, images):
        """Real images at the current stage's resolution (average-pooled), blended while it
        fades in with their half-resolution version upsampled."""
        phase = self._phase
        images = networks.downscale(images, self.schedule.resolution // phase.resolution)
        if phase.fading:
            images = networks.lerp(networks.upscale(networks.downscale(images, 2), 2), images, self._alpha)
        return images

    def discriminator_update(self, real, labels):
        real = self.real_images(real)
        batch = ops.shape(real)[0]
        fake = backend.without_gradient(lambda: self.generate_images(self.sample_noise(batch), labels, training=True))
        mix = self.sample_uniform(batch) if self.gp_weight else None

        def critic(images):
            return self.discriminate(images, labels, training=True)

        def loss_fn():
            real_logits, fake_logits = critic(real), critic(fake)
            loss = self._d_loss_fn(real_logits, fake_logits)
            aux = {"real_logits": real_logits}
            if self.gp_weight:
                mixed = penalties.interpolate(real, fake, mix)
                aux["gp"] = penalties.gradient_penalty(backend.input_gradient(critic, mixed))
                loss = loss + self.gp_weight * aux["gp"]
            if self.drift_weight:
                loss = loss + self.drift_weight * penalties.drift_penalty(real_logits)
            if self.loss_name == "wasserstein":
                real_mean, fake_mean = (ops.mean(ops.cast(x, "float32")) for x in (real_logits, fake_logits))
                aux["wasserstein"] = real_mean - fake_mean
            return loss + self._idle_term(self.discriminator), aux

        d_loss, aux = backend.minimize(self.d_optimizer, self.discriminator.trainable_variables, loss_fn)
        return {"d_loss": d_loss, **aux}

    def generator_update(self, batch_size, labels):
        noise = self.sample_noise(batch_size)

        def loss_fn():
            fake = self.generate_images(noise, labels, training=True)
            loss = self.generator_loss_of(self._g_loss_fn, self.discriminate(fake, labels, training=True))
            return loss + self._idle_term(self.generator), {}

        g_loss, _ = backend.minimize(self.g_optimizer, self.generator.trainable_variables, loss_fn)
        return g_loss

    def _idle_term(self, network):
        """``0 * sum`` of the weights this stage does not use: every backend then hands the
        optimizer a zero gradient for them (TensorFlow would give None and warn), so all three
        update the same way."""
        used = {id(v) for layer in networks.stage_layers(network, self._phase.resolution, self._phase.fading)
                for v in layer.trainable_variables}
        idle = [ops.sum(v) for v in network.trainable_variables if id(v) not in used]
        return 0.0 * ops.sum(ops.stack(idle)) if idle else 0.0

    # ----------------------------------------------------------------- networks
    def call_generator(self, network, noise, labels, training):
        container = self._container_of(network)
        if container is None:
            return network(noise, training=training)
        phase = self._phase
        return networks.generator_images(container, noise, phase.resolution, self._alpha if phase.fading else None,
                                         training)

    def call_discriminator(self, images, labels, training):
        return networks.discriminator_logits(self.discriminator, images, self._alpha if self._phase.fading else None,
                                             training)

    def generate_images(self, noise, labels, training=False, network=None):
        images = super().generate_images(noise, labels, training=training, network=network)
        if training or self._container_of(self.generator if network is None else network) is None:
            return images
        factor = self.schedule.resolution // images.shape[1]
        return ops.clip(networks.upscale(images, factor), -1.0, 1.0)

    @property
    def sampling_generator(self):
        """A plain generator at the final resolution (the EMA weights when kept)."""
        return self.generator_at(self.schedule.resolution)

    def generator_at(self, resolution=None, use_ema=True):
        """A plain one-output ``keras.Model``, noise -> images at ``resolution`` (default: the
        final one) in [-1, 1], sharing the weights of the EMA generator (``use_ema`` and one is
        kept) or of the trained one."""
        container = self.ema_generator if use_ema and self.ema_generator is not None else self.generator
        resolution = self.schedule.resolution if resolution is None else resolution
        return self._views.get(container, resolution)

    def _container_of(self, network):
        for container in (self.generator, self.ema_generator):
            if container is not None and (network is container or self._views.holds(container, network)):
                return container
        return None

    # ----------------------------------------------------------------- saving
    def get_config(self):
        config = super().get_config()
        config.update(schedule=self.schedule.get_config(), loss=self.loss_name, gp_weight=self.gp_weight,
                      drift_weight=self.drift_weight)
        return config

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.enter_phase(self.images_seen)


class _Progress(MetricsList):
    """Where training stands, logged as the latest values (not the epoch's means)."""

    def __init__(self, names):
        super().__init__([Latest(name) for name in names], name="progress")

    def result(self):
        return {metric.name: metric.result() for metric in self.metrics}

    def update(self, values):
        for metric in self.metrics:
            metric.update_state(values[metric.name])
        return self.result()


class _Views:
    """Cache of the plain one-resolution generators (not tracked by Keras: they share weights)."""

    def __init__(self):
        self.cache = {}

    def get(self, container, resolution):
        key = (id(container), int(resolution))
        if key not in self.cache:
            self.cache[key] = networks.generator_at(container, resolution)
        return self.cache[key]

    def holds(self, container, network):
        return any(view is network for (owner, _), view in self.cache.items() if owner == id(container))


def _schedule(schedule, generator):
    if schedule is None:
        return ProgressiveSchedule(resolution=networks.check_progressive(generator, "generator"))
    if isinstance(schedule, dict):
        return ProgressiveSchedule.from_config(schedule)
    if isinstance(schedule, ProgressiveSchedule):
        return schedule
    raise ValueError(f"schedule must be a kgan.ProgressiveSchedule, its config or None, got {schedule!r}.")


def _check_groups(schedule, group_size):
    if group_size is None:
        return
    bad = {r: b for r, b in schedule.batch_size.items() if b % group_size}
    if bad:
        raise ValueError(f"The discriminator's minibatch stddev groups {group_size} samples, which does not divide "
                         f"the batch size(s) {bad}; use batch sizes that are multiples of {group_size}.")


__all__ = ["ProgressiveGAN"]
