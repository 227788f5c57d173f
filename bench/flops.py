"""Analytic FLOP counts of a training step, from the networks' conv and dense layers.

Forward FLOPs = 2 x multiply-adds of every Conv2D, Conv2DTranspose and Dense layer (other
layers are cheap and ignored). A backward pass to the weights and the input costs about twice
its forward pass; the generator update needs only the discriminator's input gradient (its
weight gradients are pruned), so the discriminator costs two forward passes there. A gradient
penalty (forward, input gradient, and the second-order backward through both) costs about six
forward passes. These are estimates for reading achieved FLOP/s, not exact counts.
"""

import keras


def forward_flops(model):
    total = 0
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.Conv2DTranspose):
            _, h, w, c_in = layer.input.shape
            kh, kw = layer.kernel_size
            total += h * w * c_in * kh * kw * layer.filters
        elif isinstance(layer, keras.layers.Conv2D):
            _, h, w, c_out = layer.output.shape
            kh, kw = layer.kernel_size
            total += h * w * c_out * kh * kw * layer.input.shape[-1]
        elif isinstance(layer, keras.layers.Dense):
            total += layer.input.shape[-1] * layer.units
    return 2 * total


def gan_step_flops(generator, discriminator, batch):
    """Discriminator update (G forward, D forward+backward on real and fake) + generator update
    (G forward+backward, D forward+input gradient)."""
    g, d = forward_flops(generator), forward_flops(discriminator)
    return batch * ((g + 2 * 3 * d) + (3 * g + 2 * d))


def wgangp_step_flops(generator, critic, batch, n_critic):
    """n_critic critic updates on batch/n_critic images each (with penalty) + one generator update."""
    g, d = forward_flops(generator), forward_flops(critic)
    size = batch // n_critic
    return n_critic * size * (g + 2 * 3 * d + 6 * d) + size * (3 * g + 2 * d)


def simultaneous_step_flops(generator, discriminator, batch):
    """One forward pass feeding both updates (the TensorFlow DCGAN tutorial's two tapes): G
    forward, D forward on real and fake, D backward to its weights on both, D input gradient
    on the fakes and G backward. Alternating updates (``gan_step_flops``) run G and D forward
    once more per step, so this is less work: 3G + 7D per image against 4G + 8D."""
    g, d = forward_flops(generator), forward_flops(discriminator)
    return batch * (3 * g + 2 * d + 2 * 2 * d + d)
