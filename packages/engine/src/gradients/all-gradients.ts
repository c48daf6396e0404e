import './elementwise-gradients.js';
import './reduce-gradients.js';
import './matmul-gradients.js';
import './nn-gradients.js';
import './gather-gradients.js';
import './shape-gradients.js';
