import ns.alpha
from ns import beta
import ns.beta.missing.deeper
