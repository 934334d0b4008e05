"""What a fresh process imports: the costs a user pays before the first row."""

import subprocess
import sys
import textwrap


def test_import_and_fit_leave_heavy_modules_unloaded():
    # sklearn.mixture is needed only to fit a latent mixture; torch._dynamo (seconds
    # to import) only by torch.optim and torch.compile, which a fit does not use.
    script = textwrap.dedent(
        """
        import sys
        import vae_augment
        assert "sklearn.mixture" not in sys.modules, "imported with the package"
        X = [[float(i), float(i % 3)] for i in range(40)]
        model = vae_augment.VAEAugmenter(max_epochs=2, hidden_dims=(8,), latent_dim=2)
        model.fit(X).sample(5)
        assert "torch._dynamo" not in sys.modules, "imported by fit or sample"
        """
    )
    completed = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
