"""Train a 64x64 DCGAN on CelebA faces.

    python examples/train_dcgan_celeba.py --data path/to/img_align_celeba --epochs 8
    python examples/train_dcgan_celeba.py --data ../shared/data/celeba64_15722.npz --epochs 8

--data is a folder of images (centre-cropped to square and resized to 64x64) or a .npz with
uint8 faces under `images`; without it tensorflow-datasets' `celeb_a` is downloaded. --steps
limits the batches per epoch (CI runs every example that way).
CelebA is licensed for non-commercial research purposes only, and so is a model trained on it.
"""

import argparse

import kgan  # before Keras: oneDNN kernels on AVX2 CPUs too (README, "oneDNN")
import keras

from kgan import datasets, networks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="celeba", help="image folder, .npz, or 'celeba' (tensorflow-datasets)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--steps", type=int, default=None, help="batches per epoch (default: all)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--out", default="runs/example_celeba")
    args = parser.parse_args()

    # One loader for a folder, a .npz or the tfds dataset: NumPy float32 in [-1, 1], (n, 64, 64, 3).
    faces, _ = datasets.load(args.data, image_size=64)
    if faces.shape[1:] != (64, 64, 3):
        raise SystemExit(f"expected 64x64 RGB faces, got images of shape {faces.shape[1:]}")

    # Augmentation is a core Keras layer mapped over the tf.data pipeline.
    flip = keras.layers.RandomFlip("horizontal", seed=0)
    data = datasets.to_dataset(faces, batch_size=args.batch_size).map(lambda x: flip(x, training=True))

    # The zoo's celeba_dcgan networks and losses (zoo/recipes/celeba_dcgan.py, which adds a learning-rate
    # decay): resize-convolution upsampling (no checkerboard), label smoothing, a generator EMA.
    gan = kgan.GAN(
        generator=networks.dcgan_generator(latent_dim=100, output_shape=(64, 64, 3), base_filters=48,
                                           upsampling="resize"),
        discriminator=networks.dcgan_discriminator((64, 64, 3), base_filters=48),
        loss="non_saturating",
        label_smoothing=0.1,
        ema_decay=0.999,
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    gan.fit(
        data,
        epochs=args.epochs,
        steps_per_epoch=args.steps,
        callbacks=[
            kgan.callbacks.SampleGrid(f"{args.out}/samples"),
            keras.callbacks.TensorBoard(f"{args.out}/logs"),  # the sample grids show up there too
            keras.callbacks.ModelCheckpoint(f"{args.out}/celeba_dcgan.keras"),
        ],
    )
    print("samples in", f"{args.out}/samples", "- model in", f"{args.out}/celeba_dcgan.keras")


if __name__ == "__main__":
    main()
