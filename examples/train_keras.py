"""Train an image classifier from scratch with Keras."""
import argparse

import tensorflow as tf
from tensorflow import keras


def build_model(num_classes: int) -> keras.Model:
    base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(224, 224, 3))
    x = keras.layers.GlobalAveragePooling2D()(base.output)
    outputs = keras.layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(base.input, outputs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--data", default="data/flowers")
    args = parser.parse_args()

    train_ds = keras.utils.image_dataset_from_directory(args.data, validation_split=0.2, subset="training", seed=1)
    val_ds = keras.utils.image_dataset_from_directory(args.data, validation_split=0.2, subset="validation", seed=1)
    model = build_model(num_classes=5)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    callbacks = [keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)]
    model.fit(train_ds, validation_data=val_ds, epochs=args.epochs, callbacks=callbacks)


if __name__ == "__main__":
    main()
