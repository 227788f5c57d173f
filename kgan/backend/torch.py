"""PyTorch: explicit ``torch.autograd.grad`` so nothing accumulates in ``.grad``."""

import torch


def attach_optimizers(model):
    """Nothing to do: eager PyTorch updates both optimizers' variables in place."""


def train_step(model, step, data):
    return step(data)


def minimize(optimizer, variables, loss_fn):
    loss, aux = loss_fn()
    if not variables:  # a frozen network: report its loss, update nothing
        return loss.detach(), {k: v.detach() for k, v in aux.items()}
    scaled = optimizer.scale_loss(loss)
    values = [v.value for v in variables]
    gradients = torch.autograd.grad(scaled, values, allow_unused=True)
    gradients = [torch.zeros_like(v) if g is None else g for g, v in zip(gradients, values)]
    with torch.no_grad():
        optimizer.apply(gradients, variables)
    return loss.detach(), {k: v.detach() for k, v in aux.items()}


def value_and_input_gradient(fn, x):
    x = x.detach().requires_grad_(True)
    outputs = fn(x)
    (gradient,) = torch.autograd.grad(outputs.sum(), x, create_graph=True)
    return outputs, gradient
