# Image for the `app` service of docker-compose.yml.
FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci
COPY . .
EXPOSE 8080 8081
# Every component in one process, in production unless NODE_ENV says otherwise (JWT_SECRET, TICKET_SECRET,
# CART_SECRET and STRIPE_SECRET_KEY are then required), without demo data.
CMD ["npm", "run", "start:app"]
