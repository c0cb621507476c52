import sklearn.linear_model
import cv2
