"""Classical machine learning with the scikit-learn estimator API; the algorithms are ours.

Every estimator follows scikit-learn's rules (hyperparameters stored in ``__init__``,
validation in ``fit``, learned attributes ending in ``_``), passes its
``check_estimator``, and works in Pipelines, ``cross_val_score`` and ``GridSearchCV``.
scikit-learn provides only the base classes and input validation.
"""

from scratchgrad.ml.cluster import KMeans, silhouette_score
from scratchgrad.ml.decomposition import PCA
from scratchgrad.ml.ensemble import RandomForestClassifier, RandomForestRegressor
from scratchgrad.ml.linear import LinearRegression, Ridge
from scratchgrad.ml.logistic import LogisticRegression
from scratchgrad.ml.naive_bayes import GaussianNB, MultinomialNB
from scratchgrad.ml.neighbors import KNeighborsClassifier, KNeighborsRegressor
from scratchgrad.ml.neural_net import NeuralNetClassifier, NeuralNetRegressor
from scratchgrad.ml.perceptron import Perceptron
from scratchgrad.ml.preprocessing import MinMaxScaler, StandardScaler
from scratchgrad.ml.svm import SVC, LinearSVC
from scratchgrad.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor

__all__ = [
    "PCA",
    "SVC",
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "GaussianNB",
    "KMeans",
    "KNeighborsClassifier",
    "KNeighborsRegressor",
    "LinearRegression",
    "LinearSVC",
    "LogisticRegression",
    "MinMaxScaler",
    "MultinomialNB",
    "NeuralNetClassifier",
    "NeuralNetRegressor",
    "Perceptron",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "Ridge",
    "StandardScaler",
    "silhouette_score",
]
