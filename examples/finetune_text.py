"""Fine-tune a text classifier, then serve predictions with a large checkpoint."""
from datasets import load_dataset
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    Trainer,
    TrainingArguments,
    pipeline,
)

MODEL = "distilbert-base-uncased"

dataset = load_dataset("imdb")
tokenizer = AutoTokenizer.from_pretrained(MODEL)
encoded = dataset.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True)
model = AutoModelForSequenceClassification.from_pretrained(MODEL, num_labels=2)

args = TrainingArguments(
    output_dir="out",
    eval_strategy="epoch",
    save_strategy="epoch",
    num_train_epochs=30,
    load_best_model_at_end=True,
)
trainer = Trainer(model=model, args=args, train_dataset=encoded["train"], eval_dataset=encoded["test"])
trainer.train()

# Zero-shot baseline for comparison.
classifier = pipeline("fill-mask", model="bert-large-uncased")
print(classifier("Energy efficient models are [MASK]."))
