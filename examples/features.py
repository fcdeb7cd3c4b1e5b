"""Bag-of-words features for a linear model."""
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

reviews = pd.read_csv("reviews.csv")
vectorizer = TfidfVectorizer(min_df=2)
features = vectorizer.fit_transform(reviews["text"])
dense = features.toarray()
LogisticRegression(max_iter=1000).fit(dense, reviews["label"])
