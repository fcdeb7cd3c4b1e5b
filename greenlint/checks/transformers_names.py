"""How Hugging Face transformers names its model classes. Shared by GL301 (which classes build an
architecture from a config) and GL303 (which classes load a checkpoint); not a rule."""
from __future__ import annotations

import re

# `BertModel`, `BertForMaskedLM`, `GPT2LMHeadModel`, `TFBertModel`, `FlaxT5EncoderModel`...
HF_MODEL_CLASS = re.compile(r"^(TF|Flax)?[A-Z][A-Za-z0-9]*(Model|For[A-Z][A-Za-z]*|LMHeadModel|Encoder|Decoder)$")
# `AutoModel`, `AutoModelForCausalLM`, `TFAutoModel`...
AUTO_MODEL_CLASS = re.compile(r"^(TF|Flax)?AutoModel")


def is_model_class(cls: str) -> bool:
    """A transformers model class (not a config, tokenizer or processor)."""
    return bool(HF_MODEL_CLASS.match(cls)) and not cls.endswith("Config")


def is_auto_model_class(cls: str) -> bool:
    return bool(AUTO_MODEL_CLASS.match(cls))
