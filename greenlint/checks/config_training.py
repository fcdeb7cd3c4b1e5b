"""Whether a config document (YAML, JSON, TOML, .env) sets up a training run, read from its keys.
Shared by GL302 (sizes of a model trained from scratch) and GL303 (a model named by a config that
only runs it); not a rule."""
from __future__ import annotations

from typing import Any

# Keys that only a training run needs (learning rate, epochs, optimizer, batch size for training...).
# A plain `batch_size` is not one: inference servers batch requests too (`BATCH_SIZE=32` of a worker).
TRAINING_KEYS = {"learningrate", "lr", "epochs", "numepochs", "maxepochs", "maxsteps", "maxiters", "trainer",
                 "optimizer", "optim", "trainbatchsize", "microbatchsize", "globalbatchsize",
                 "warmupsteps", "weightdecay", "gradientaccumulationsteps", "numtrainepochs", "maxiter",
                 "perdevicetrainbatchsize", "lrscheduler", "scheduler",
                 # other spellings of gradient accumulation, and the training data a run reads
                 "gradaccumulationsteps", "accumulategradbatches", "trainfile", "trainingfile"}


def norm_key(key: Any) -> str:
    """`num_train_epochs`, `num-train-epochs`, `numTrainEpochs` and `NUM_TRAIN_EPOCHS` alike."""
    return str(key).replace("-", "").replace("_", "").replace(".", "").lower()


def document_keys(doc: Any) -> set[str]:
    """Every mapping key of the document, normalised."""
    return {norm_key(p[-1]) for p, _ in doc.walk() if p and isinstance(p[-1], str)}


def is_training_config(doc: Any) -> bool:
    return bool(document_keys(doc) & TRAINING_KEYS)
