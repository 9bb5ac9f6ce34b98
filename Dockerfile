# Image for the `app` service of docker-compose.yml.
FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci
COPY . .
EXPOSE 8080 8081
CMD ["npm", "run", "start:app"]
