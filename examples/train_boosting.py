"""Gradient-boosted trees on tabular data, evaluated on a validation split every round."""
import lightgbm as lgb
import xgboost as xgb
from sklearn.datasets import fetch_california_housing
from sklearn.model_selection import train_test_split

X, y = fetch_california_housing(return_X_y=True)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.2, random_state=0)

params = {"objective": "reg:squarederror", "max_depth": 6, "eta": 0.05}
dtrain = xgb.DMatrix(X_train, label=y_train)
dvalid = xgb.DMatrix(X_valid, label=y_valid)
booster = xgb.train(params, dtrain, num_boost_round=2000, evals=[(dvalid, "valid")])

regressor = lgb.LGBMRegressor(n_estimators=1500, learning_rate=0.03)
regressor.fit(X_train, y_train, eval_set=[(X_valid, y_valid)])
