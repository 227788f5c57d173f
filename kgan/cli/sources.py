"""Where the CLI's generators come from: a zoo name, a kgan ``.keras`` file or a SavedModel folder."""

import dataclasses
import os

import numpy as np


class CommandError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


@dataclasses.dataclass
class Source:
    """A generator, whatever its origin, and what the CLI needs to drive it."""

    description: str
    latent_dim: int
    num_classes: int | None
    model: object = None  # the Keras generator, where there is one (zoo, .keras)
    saved_model: object = None  # a tf.saved_model.load result
    trained: object = None  # the whole kgan model a .keras file holds (its raw generator beside the average)

    @property
    def conditional(self):
        return self.num_classes is not None

    def generate(self, noise, labels=None, batch_size=256):
        """Images in [-1, 1] as float32 NumPy."""
        out = []
        for start in range(0, len(noise), batch_size):
            z = noise[start : start + batch_size]
            y = None if labels is None else labels[start : start + batch_size]
            out.append(self._generate_batch(z, y))
        return np.concatenate(out).astype("float32")

    def _generate_batch(self, noise, labels):
        if self.saved_model is not None:
            import tensorflow as tf

            kwargs = {"noise": tf.constant(noise)}
            if labels is not None:
                kwargs["labels"] = tf.constant(labels, tf.int32)
            return self.saved_model.signatures["serving_default"](**kwargs)["images"].numpy()
        import keras

        inputs = noise if labels is None else [noise, labels]
        return keras.ops.convert_to_numpy(self.model(inputs, training=False))  # torch: detaches

    def noise(self, n, seed):
        from kgan import latent

        return latent.sample(n, self.latent_dim, seed)

    def labels(self, values, n):
        """Labels cycled to length n, checked against the model's classes."""
        if not self.conditional:
            if values is not None:
                raise CommandError(f"{self.description} is not conditional: --labels/--digit do not apply")
            return None
        values = list(range(self.num_classes)) if values is None else values
        bad = [v for v in values if not 0 <= v < self.num_classes]
        if bad:
            raise CommandError(f"label {bad[0]} is outside the model's classes [0, {self.num_classes})")
        return np.resize(np.asarray(values, "int32"), n)


def check_writable(directory, out):
    """Raise unless ``directory`` (or its nearest existing parent) can be written."""
    probe = directory
    while not os.path.exists(probe):
        probe = os.path.dirname(probe)
    if not os.path.isdir(probe) or not os.access(probe, os.W_OK):
        raise CommandError(f"cannot write {out!r}: {probe!r} is not a writable folder")


def load_source(name_or_path, allow_saved_model=True):
    if os.path.isdir(name_or_path) and os.path.exists(os.path.join(name_or_path, "saved_model.pb")):
        if not allow_saved_model:
            raise CommandError(f"{name_or_path!r} is a SavedModel; give a zoo name or a .keras file")
        return _from_saved_model(name_or_path)
    if name_or_path.endswith(".keras"):
        return _from_keras_file(name_or_path)
    if os.path.sep in name_or_path or os.path.exists(name_or_path):
        raise CommandError(f"{name_or_path!r} is not a zoo model, a .keras file or a SavedModel folder")
    return _from_zoo(name_or_path)


def _from_zoo(name):
    import zoo

    try:
        spec = zoo.registry.entry(name)
    except ValueError as error:
        raise CommandError(str(error)) from None
    if spec.kind != "generator":
        raise CommandError(f"{name!r} is a {spec.kind}, not a generator")
    model = zoo.load(name)
    return Source(f"zoo model {name!r}", model.inputs[0].shape[-1], 10 if spec.conditional else None, model=model)


def _from_keras_file(path):
    import keras

    import kgan

    if not os.path.isfile(path):
        raise CommandError(f"model file {path!r} does not exist")
    try:
        model = keras.saving.load_model(path)
    except Exception as error:  # any unreadable file: one clear line
        raise CommandError(f"{path!r} could not be loaded as a Keras model ({type(error).__name__}: {error})") from None
    if not isinstance(model, (kgan.AdversarialModel, kgan.VAE)):  # a VAE samples from its decoder
        raise CommandError(f"{path!r} holds a {type(model).__name__}, not a kgan model (GAN, ConditionalGAN, WGANGP, "
                           "InfoGAN, VAE)")
    return Source(f"{path!r}", model.latent_dim, getattr(model, "num_classes", None), model=model.sampling_generator,
                  trained=model)


def _from_saved_model(path):
    import tensorflow as tf

    loaded = tf.saved_model.load(path)
    if "serving_default" not in loaded.signatures:
        raise CommandError(f"SavedModel {path!r} has no serving_default signature")
    signature = loaded.signatures["serving_default"]
    specs = signature.structured_input_signature[1]
    if "noise" not in specs:
        raise CommandError(f"SavedModel {path!r} does not take a 'noise' input: not a kgan export")
    info = _export_info(path)
    return Source(f"SavedModel {path!r}", int(specs["noise"].shape[-1]),
                  info.get("num_classes") if "labels" in specs else None, saved_model=loaded)


def _export_info(path):
    import json

    try:
        with open(os.path.join(path, "kgan_export.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return {"num_classes": 10}
