"""Three public GAN examples' networks and training settings, reproduced layer by layer.

bench/third_party.py times kgan on networks it did not design. Each ``Example`` rebuilds one
public example's generator and discriminator (layer types, sizes, kernels, strides, padding,
biases, activations, dropout, normalisation) and records its batch size, latent size, optimizers
and loss, as read in these sources:

- ``keras_dcgan``: keras.io "DCGAN to generate face images", keras-team/keras-io
  examples/generative/dcgan_overriding_train_step.py (Keras 3 version, last modified
  2023/12/21): CelebA 64x64 in [0, 1], batch 32, latent 128, Adam(1e-4) for both networks,
  ``BinaryCrossentropy()`` on a sigmoid output.
- ``keras_wgangp``: keras.io "WGAN-GP overriding Model.train_step", keras-team/keras-io
  examples/generative/wgan_gp.py: Fashion-MNIST 28x28 in [-1, 1], batch 512, noise 128,
  Adam(2e-4, beta_1=0.5, beta_2=0.9) for both, 3 critic updates per generator update,
  gradient-penalty weight 10.
- ``tf_dcgan``: the TensorFlow DCGAN tutorial, tensorflow/docs
  site/en/tutorials/generative/dcgan.ipynb: MNIST 28x28 in [-1, 1], batch 256, noise 100,
  Adam(1e-4) for both, ``BinaryCrossentropy(from_logits=True)``.

kgan's losses read logits, so the keras.io DCGAN discriminator takes ``probabilities=False``
on kgan's side: the same layers with the final sigmoid left out (cross-entropy on logits is the
example's cross-entropy on probabilities, computed stably). How each example *trains* (its
step) is written out in bench/third_party.py.
"""

import dataclasses

import keras
from keras import layers


@dataclasses.dataclass(frozen=True)
class Example:
    name: str
    source: str
    image_shape: tuple
    latent_dim: int
    batch: int
    data_range: tuple  # the example's image range: its generator's output range
    generator: callable  # () -> keras.Model
    discriminator: callable  # (probabilities: bool) -> keras.Model
    optimizer: callable  # () -> a fresh optimizer (both networks use the same settings)
    d_steps: int = 1  # discriminator updates per generator update
    gp_weight: float = 0.0
    probabilities: bool = False  # the example's discriminator ends in a sigmoid
    simultaneous: bool = False  # both networks stepped on gradients of one forward pass


# ---------------------------------------------------------------- keras.io DCGAN (CelebA 64x64)
def keras_dcgan_discriminator(probabilities=True):
    """Three 4x4 stride-2 convolutions (64, 128, 128) with LeakyReLU(0.2), flatten, dropout 0.2,
    one unit: a probability (sigmoid) as in the example, or its logit."""
    stack = [keras.Input((64, 64, 3))]
    for filters in (64, 128, 128):
        stack += [layers.Conv2D(filters, 4, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2)]
    stack += [layers.Flatten(), layers.Dropout(0.2), layers.Dense(1, activation="sigmoid" if probabilities else None)]
    return keras.Sequential(stack, name="keras_dcgan_discriminator")


def keras_dcgan_generator(latent_dim=128):
    """Dense to 8x8x128 (no activation), three 4x4 stride-2 transposed convolutions (128, 256, 512)
    with LeakyReLU(0.2), a 5x5 convolution to 3 channels with a sigmoid: 64x64x3 in [0, 1]."""
    stack = [keras.Input((latent_dim,)), layers.Dense(8 * 8 * 128), layers.Reshape((8, 8, 128))]
    for filters in (128, 256, 512):
        stack += [layers.Conv2DTranspose(filters, 4, strides=2, padding="same"), layers.LeakyReLU(negative_slope=0.2)]
    stack += [layers.Conv2D(3, 5, padding="same", activation="sigmoid")]
    return keras.Sequential(stack, name="keras_dcgan_generator")


# ---------------------------------------------------------------- keras.io WGAN-GP (Fashion-MNIST)
def keras_wgangp_critic(probabilities=False):
    """Zero-pad 28x28 to 32x32; four 5x5 stride-2 convolutions (64, 128, 256, 512, with bias)
    each with LeakyReLU(0.2), dropout 0.3 after the second and third; flatten, dropout 0.2,
    one linear unit. No normalisation. (``probabilities`` is accepted for a uniform interface;
    a critic has none.)"""
    if probabilities:
        raise ValueError("a WGAN critic outputs scores, not probabilities")
    x = inputs = keras.Input((28, 28, 1))
    x = layers.ZeroPadding2D((2, 2))(x)
    for filters, dropout in ((64, False), (128, True), (256, True), (512, False)):
        x = layers.Conv2D(filters, 5, strides=2, padding="same", use_bias=True)(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
        if dropout:
            x = layers.Dropout(0.3)(x)
    x = layers.Dropout(0.2)(layers.Flatten()(x))
    return keras.Model(inputs, layers.Dense(1)(x), name="keras_wgangp_critic")


def keras_wgangp_generator(latent_dim=128):
    """Dense to 4x4x256 (no bias), batch norm, LeakyReLU(0.2); three blocks of 2x nearest
    upsampling, a 3x3 convolution without bias (128, 64, 1) and batch norm, with LeakyReLU(0.2)
    after the first two and tanh after the last; crop 32x32 to 28x28x1."""
    x = inputs = keras.Input((latent_dim,))
    x = layers.Dense(4 * 4 * 256, use_bias=False)(x)
    x = layers.LeakyReLU(negative_slope=0.2)(layers.BatchNormalization()(x))
    x = layers.Reshape((4, 4, 256))(x)
    for filters, activation in ((128, None), (64, None), (1, "tanh")):
        x = layers.UpSampling2D((2, 2))(x)
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation(activation)(x) if activation else layers.LeakyReLU(negative_slope=0.2)(x)
    return keras.Model(inputs, layers.Cropping2D((2, 2))(x), name="keras_wgangp_generator")


# ---------------------------------------------------------------- TensorFlow DCGAN tutorial (MNIST)
def tf_dcgan_discriminator(probabilities=False):
    """Two 5x5 stride-2 convolutions (64, 128), each with LeakyReLU (Keras's default slope, 0.3)
    and dropout 0.3; flatten, one linear unit (logits)."""
    if probabilities:
        raise ValueError("the tutorial's discriminator outputs logits")
    stack = [keras.Input((28, 28, 1))]
    for filters in (64, 128):
        stack += [layers.Conv2D(filters, 5, strides=2, padding="same"), layers.LeakyReLU(), layers.Dropout(0.3)]
    stack += [layers.Flatten(), layers.Dense(1)]
    return keras.Sequential(stack, name="tf_dcgan_discriminator")


def tf_dcgan_generator(latent_dim=100):
    """Dense to 7x7x256 (no bias), batch norm, LeakyReLU; 5x5 transposed convolutions without
    bias: 128 (stride 1), 64 (stride 2), each with batch norm and LeakyReLU, then 1 (stride 2)
    with tanh: 28x28x1 in [-1, 1]."""
    stack = [keras.Input((latent_dim,)), layers.Dense(7 * 7 * 256, use_bias=False), layers.BatchNormalization(),
             layers.LeakyReLU(), layers.Reshape((7, 7, 256))]
    for filters, stride in ((128, 1), (64, 2)):
        stack += [layers.Conv2DTranspose(filters, 5, strides=stride, padding="same", use_bias=False),
                  layers.BatchNormalization(), layers.LeakyReLU()]
    stack += [layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh")]
    return keras.Sequential(stack, name="tf_dcgan_generator")


EXAMPLES = {
    "keras_dcgan": Example(
        "keras_dcgan", "keras-team/keras-io examples/generative/dcgan_overriding_train_step.py",
        (64, 64, 3), 128, 32, (0.0, 1.0), keras_dcgan_generator, keras_dcgan_discriminator,
        lambda: keras.optimizers.Adam(1e-4), probabilities=True),
    "keras_wgangp": Example(
        "keras_wgangp", "keras-team/keras-io examples/generative/wgan_gp.py",
        (28, 28, 1), 128, 512, (-1.0, 1.0), keras_wgangp_generator, keras_wgangp_critic,
        lambda: keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9), d_steps=3, gp_weight=10.0),
    "tf_dcgan": Example(
        "tf_dcgan", "tensorflow/docs site/en/tutorials/generative/dcgan.ipynb",
        (28, 28, 1), 100, 256, (-1.0, 1.0), tf_dcgan_generator, tf_dcgan_discriminator,
        lambda: keras.optimizers.Adam(1e-4), simultaneous=True),
}

__all__ = ["EXAMPLES", "Example"]
