"""The `kgan` command prints only its own words, on any CPU: TensorFlow's native start-up
lines (absl's pre-initialisation notice, oneDNN's, ...) are held back unless --verbose."""

import os
import subprocess
import sys
import textwrap

import pytest

from tests.test_cli import ENV

ONEDNN = "oneDNN custom operations are on"
# TF_ENABLE_ONEDNN_OPTS=1 turns oneDNN on whatever the CPU, and TensorFlow then announces it
# through absl before absl is initialised: the message CI saw only on AVX-512 machines.
FORCED = dict(ENV, TF_ENABLE_ONEDNN_OPTS="1", KERAS_BACKEND="tensorflow")


def run(args, env=ENV, **kwargs):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=300, **kwargs)


def test_the_forced_onednn_notice_reaches_stderr_of_a_plain_import():
    # The control for the test below: without kgan's command line the notice is printed.
    result = run(["-c", "import tensorflow"], env=FORCED)
    assert result.returncode == 0, result.stderr
    assert ONEDNN in result.stderr


def test_kgan_sample_holds_back_the_forced_notice(tmp_path):
    out = tmp_path / "digits.png"
    result = run(["-m", "kgan", "sample", "mnist_cgan", "--n", "4", "--out", out], env=FORCED)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("wrote 4 samples") and out.is_file()


def test_verbose_shows_tensorflow_output(tmp_path):
    result = run(["-m", "kgan", "--verbose", "sample", "mnist_cgan", "--n", "4", "--out", tmp_path / "d.png"],
                 env=FORCED)
    assert result.returncode == 0, result.stderr
    assert ONEDNN in result.stderr


def test_native_writes_are_held_while_python_stderr_passes_and_replay_shows_them():
    script = textwrap.dedent("""
        import os, sys
        mode, sys.argv = sys.argv[1], ["kgan"]  # the command line's kgan: no TensorFlow import
        from kgan.cli.quiet import native_stderr_held
        with native_stderr_held() as replay:
            os.write(2, b"native chatter\\n")
            print("python says", file=sys.stderr)
            if mode == "replay":
                replay()
        os.write(2, b"after\\n")
    """)
    held = run(["-c", script, "hold"])
    assert held.returncode == 0, held.stderr
    assert held.stderr == "python says\nafter\n"
    replayed = run(["-c", script, "replay"])
    assert replayed.stderr == "python says\nnative chatter\nafter\n"


def test_a_failed_tensorflow_import_is_one_error_line(tmp_path):
    (tmp_path / "tensorflow.py").write_text("raise ImportError('simulated broken install')\n")
    env = dict(FORCED, PYTHONPATH=os.pathsep.join([str(tmp_path), os.getcwd()]))
    result = run(["-m", "kgan", "sample", "mnist_cgan", "--out", tmp_path / "d.png"], env=env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kgan: error: cannot import Keras"), result.stderr
    assert "simulated broken install" in lines[0]
    assert not (tmp_path / "d.png").exists()


@pytest.mark.parametrize("argv", [["--help"], ["zoo", "list"], ["sample"], ["train", "--algorithm", "nope"]])
def test_help_zoo_list_and_argument_errors_import_no_keras(argv):
    script = textwrap.dedent(f"""
        import sys
        sys.argv = ["kgan", *{argv!r}]
        from kgan.cli import main
        try:
            status = main()
        except SystemExit as exit:
            status = exit.code
        heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"keras", "tensorflow", "jax", "torch"}})
        print("STATUS", status, "HEAVY", heavy)
    """)
    result = run(["-c", script])
    last = result.stdout.strip().splitlines()[-1]
    assert last.endswith("HEAVY []"), result.stdout + result.stderr
    if argv[0] in ("sample", "train"):  # argument errors: one line, status 2
        assert last.startswith("STATUS 2")
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("kgan: error: "), result.stderr


def test_a_library_import_keeps_tensorflow_settings_and_registers_everything():
    probe = "import os, sys, {}; print(os.environ.get('TF_CPP_MIN_LOG_LEVEL'), 'kgan.models' in sys.modules)"
    with_kgan, plain = run(["-c", probe.format("kgan")]), run(["-c", probe.format("tensorflow")])
    assert with_kgan.returncode == 0, with_kgan.stderr
    # Whatever TensorFlow itself sets, `import kgan` changes nothing; its classes are registered.
    assert with_kgan.stdout.split() == [plain.stdout.split()[0], "True"]
