"""The baseline kgan is measured against: plain, idiomatic tf.function + GradientTape loops.

Written the way the TensorFlow DCGAN / WGAN-GP tutorials write them, on the same networks,
optimizers and batches as kgan, so the ratio kgan / hand-written isolates kgan's overhead.
``jit_compile=True`` compiles the step with XLA, like ``compile(jit_compile=True)`` on kgan's side.
"""

import tensorflow as tf


def bce(logits, target):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.fill(tf.shape(logits), target), logits=logits))


def gan_step(generator, discriminator, g_opt, d_opt, latent_dim, conditional=False, jit_compile=False):
    """One discriminator and one generator update per batch (non-saturating loss)."""

    def call_g(noise, labels):
        return generator([noise, labels] if conditional else noise, training=True)

    def call_d(images, labels):
        return discriminator([images, labels] if conditional else images, training=True)

    @tf.function(jit_compile=jit_compile)
    def step(real, labels=None):
        batch = tf.shape(real)[0]
        fake = call_g(tf.random.normal((batch, latent_dim)), labels)
        with tf.GradientTape() as tape:
            d_loss = bce(call_d(real, labels), 1.0) + bce(call_d(fake, labels), 0.0)
        grads = tape.gradient(d_loss, discriminator.trainable_variables)
        d_opt.apply_gradients(zip(grads, discriminator.trainable_variables))
        with tf.GradientTape() as tape:
            g_loss = bce(call_d(call_g(tf.random.normal((batch, latent_dim)), labels), labels), 1.0)
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_opt.apply_gradients(zip(grads, generator.trainable_variables))
        return d_loss, g_loss

    return step


def wgangp_step(generator, critic, g_opt, d_opt, latent_dim, n_critic=5, gp_weight=10.0, jit_compile=False):
    """n_critic critic updates (one slice of the batch each) and one generator update."""

    @tf.function(jit_compile=jit_compile)
    def step(real, labels=None):
        size = tf.shape(real)[0] // n_critic
        for i in range(n_critic):
            chunk = real[i * size : (i + 1) * size]
            fake = generator(tf.random.normal((size, latent_dim)), training=True)
            alpha = tf.random.uniform((size, 1, 1, 1))
            mixed = alpha * chunk + (1 - alpha) * fake
            with tf.GradientTape() as tape:
                with tf.GradientTape() as inner:
                    inner.watch(mixed)
                    mixed_out = tf.reduce_sum(critic(mixed, training=True))
                grad = inner.gradient(mixed_out, mixed)
                norm = tf.sqrt(tf.reduce_sum(tf.square(grad), axis=[1, 2, 3]) + 1e-12)
                gp = tf.reduce_mean(tf.square(norm - 1.0))
                d_loss = tf.reduce_mean(critic(fake, training=True)) - tf.reduce_mean(critic(chunk, training=True)) + gp_weight * gp
            grads = tape.gradient(d_loss, critic.trainable_variables)
            d_opt.apply_gradients(zip(grads, critic.trainable_variables))
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(critic(generator(tf.random.normal((size, latent_dim)), training=True), training=True))
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_opt.apply_gradients(zip(grads, generator.trainable_variables))
        return d_loss, g_loss

    return step
