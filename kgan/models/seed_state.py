"""Saving the noise seed generator's state with a model's weights.

Keras does not save a ``SeedGenerator``'s state. A model that keeps it in its own variables
(``.keras`` files, ``save_weights``, ``BackupAndRestore``) makes a resumed run draw the same
noise as an uninterrupted one.
"""

KEY = "noise_seed_state"


class SavesSeedState:
    """Mixin for a ``keras.Model`` with a ``seed_generator``: its state is saved and restored
    with the model's own variables (files written before it existed load as before)."""

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store[KEY] = self.seed_generator.state

    def load_own_variables(self, store):
        if KEY in store.keys():
            self.seed_generator.state.assign(store[KEY])
        super().load_own_variables({k: store[k] for k in store.keys() if k != KEY})


__all__ = ["SavesSeedState"]
