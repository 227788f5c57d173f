"""Default networks for ``kgan train``: the builders of ``kgan.networks`` by algorithm and data shape.

Each preset uses the settings of the zoo recipe that trains that algorithm (``zoo/recipes``), so
a command-line user gets the zoo's tested choices; ``tests/test_presets.py`` checks that the
presets and the recipes build the same models.
"""

import keras

import kgan
from kgan import networks
from kgan.cli.sources import CommandError

DCGAN_SIZES = (28, 32, 64)


def _with_ema(options):
    """``options`` over the recipes' generator EMA (decay 0.999 from update 1,000); an option the
    user left unset (None) keeps the recipe's value."""
    return {"ema_decay": 0.999, "ema_start": 1000, **{k: v for k, v in options.items() if v is not None}}


MIXTURE = 10  # the MNIST recipes' generators read a 10-piece mixture latent from the noise


def _mixture_room(algorithm, latent_dim):
    """The mixture latent takes the last ``MIXTURE`` noise values: refuse noise with none left over."""
    if latent_dim <= MIXTURE:
        raise CommandError(f"--algorithm {algorithm} reads {MIXTURE} mixture pieces from the noise (the zoo recipe's "
                           f"generator): --latent-dim must be above {MIXTURE}; got {latent_dim}")


JIT_COMPILE = {"auto": "auto", "on": True, "off": False, "measure": "measure"}  # --jit-compile -> compile()


def model(algorithm, image_shape, labels, latent_dim, seed, jit_compile=None, **options):
    """The compiled model; ``options`` (``ema_decay``, ``augment``) go to its constructor,
    ``jit_compile`` (a ``--jit-compile`` choice; ``None``: Keras's rule) to ``compile``."""
    options = dict(options, seed=seed)
    image_shape = tuple(int(s) for s in image_shape)
    if algorithm != "gan" and (image_shape[0] != image_shape[1] or image_shape[0] not in DCGAN_SIZES):
        raise CommandError(f"--algorithm {algorithm} needs square images of side {DCGAN_SIZES}, got {image_shape}")
    adam = lambda: keras.optimizers.Adam(2e-4, beta_1=0.5)  # noqa: E731
    g_adam = None  # the generator's optimizer where it differs from the discriminator's
    if algorithm == "gan":
        options = _with_ema(options)
        _mixture_room(algorithm, latent_dim)
        gan = kgan.GAN(networks.mlp_generator(latent_dim, image_shape, batch_norm=True, mixture_components=MIXTURE),
                       networks.mlp_discriminator(image_shape, hidden_units=(2048, 1024, 512),
                                                  minibatch_kernels=100),
                       label_smoothing=0.1, **options)
        g_adam = lambda: keras.optimizers.Adam(1e-3, beta_1=0.5)  # noqa: E731
    elif algorithm == "dcgan" and image_shape[0] == 64:  # zoo/recipes/celeba_dcgan.py
        options = _with_ema(options)
        gan = kgan.GAN(networks.dcgan_generator(latent_dim, image_shape, base_filters=48, upsampling="resize"),
                       networks.dcgan_discriminator(image_shape, base_filters=48), loss="non_saturating",
                       label_smoothing=0.1, **options)
    elif algorithm == "dcgan":  # zoo/recipes/mnist_dcgan.py
        _mixture_room(algorithm, latent_dim)
        options = _with_ema(options)
        gan = kgan.GAN(networks.dcgan_generator(latent_dim, image_shape, base_filters=64, mixture_components=MIXTURE),
                       networks.dcgan_discriminator(image_shape, base_filters=64, normalization="batch",
                                                    dense_units=1024),
                       loss="non_saturating", **options)
        g_adam = lambda: keras.optimizers.Adam(1e-3, beta_1=0.5)  # noqa: E731
    elif algorithm == "cgan":
        classes = int(labels.max()) + 1
        gan = kgan.ConditionalGAN(
            networks.conditional_dcgan_generator(latent_dim, classes, image_shape, base_filters=32),
            networks.conditional_dcgan_discriminator(image_shape, classes, conditioning="projection", dense_units=1024),
            num_classes=classes,
            **_with_ema(options))
    else:  # zoo/recipes/mnist_wgangp.py
        _mixture_room(algorithm, latent_dim)
        gan = kgan.WGANGP(networks.dcgan_generator(latent_dim, image_shape, base_filters=64, mixture_components=MIXTURE),
                          networks.dcgan_discriminator(image_shape, base_filters=64, normalization=None,
                                                       dense_units=1024),
                          **_with_ema(options))
        adam = lambda: keras.optimizers.Adam(5e-4, beta_1=0.5, beta_2=0.9)  # noqa: E731
        g_adam = lambda: keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=0.9)  # noqa: E731
    gan.compile(g_optimizer=(g_adam or adam)(), d_optimizer=adam(), jit_compile=JIT_COMPILE[jit_compile or "auto"])
    return gan
